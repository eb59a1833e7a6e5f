package dev.messenger.desktop.main;

import dev.messenger.api.v1.Conversation;
import dev.messenger.api.v1.FeedMessage;
import dev.messenger.api.v1.ListConversationsResponse;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.chat.ChatViewModel;
import dev.messenger.desktop.chat.Outbox;
import dev.messenger.desktop.connection.ApiErrors;
import dev.messenger.desktop.connection.ConnectionStatus;
import dev.messenger.desktop.connection.FeedListener;
import dev.messenger.desktop.connection.LiveFeed;
import dev.messenger.desktop.connection.MessengerApi;
import dev.messenger.desktop.conversations.ConversationItem;
import dev.messenger.desktop.notifications.Notification;
import dev.messenger.desktop.session.Session;
import dev.messenger.desktop.settings.SettingsViewModel;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.IntegerBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.SortedList;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The signed-in app: the conversation list, the open conversation, user search, the connection
 * status and the live feed that drives them. Feed entries are applied on the UI thread, each seq once.
 */
public final class MainViewModel {
    private final Session session;
    private final MessengerApi api;
    private final Outbox outbox;
    private final Executor io;
    private final Executor ui;
    private final Clock clock;
    private final Consumer<Notification> notifier;
    private final Runnable onSignedOut;
    private final ReadOnlyObjectWrapper<User> me;

    private final ObservableList<ConversationItem> conversations =
            FXCollections.observableArrayList(ConversationItem::shownState);
    private final SortedList<ConversationItem> sortedConversations = new SortedList<>(conversations, ConversationItem.BY_ACTIVITY);
    private final Map<String, ChatViewModel> chats = new HashMap<>();
    private final ObjectProperty<ConversationItem> selected = new SimpleObjectProperty<>();
    private final ObjectProperty<ChatViewModel> openChat = new SimpleObjectProperty<>();
    private final ObjectProperty<ConnectionStatus> status = new SimpleObjectProperty<>(ConnectionStatus.CONNECTING);
    private final StringProperty searchQuery = new SimpleStringProperty("");
    private final ObservableList<User> searchResults = FXCollections.observableArrayList();
    private final StringProperty problem = new SimpleStringProperty("");
    private final BooleanProperty windowFocused = new SimpleBooleanProperty(true);
    private final IntegerBinding totalUnread;
    private final StringBinding windowTitle;
    private long lastSeq = -1;
    private LiveFeed feed;
    // Deleting the account ends this session too, so the feed may report it signed out before the
    // deletion's own answer arrives: that report is held back unless the deletion fails.
    private boolean deletingAccount;
    private boolean signedOutWhileDeleting;

    /**
     * @param notifier    shows a popup (called on the UI thread)
     * @param onSignedOut told (on the UI thread) when the server no longer accepts the session
     */
    public MainViewModel(Session session, MessengerApi api, Outbox outbox, Executor io, Executor ui, Clock clock,
                         Consumer<Notification> notifier, Runnable onSignedOut) {
        this.session = session;
        this.api = api;
        this.outbox = outbox;
        this.io = io;
        this.ui = ui;
        this.clock = clock;
        this.notifier = notifier;
        this.onSignedOut = onSignedOut;
        this.me = new ReadOnlyObjectWrapper<>(session.me());
        totalUnread = Bindings.createIntegerBinding(
                () -> conversations.stream().mapToInt(item -> item.unread().get()).sum(), conversations);
        windowTitle = Bindings.createStringBinding(() -> "Messenger"
                + (totalUnread.get() > 0 ? " (" + totalUnread.get() + ")" : "")
                + " — " + me.get().getUsername(), totalUnread, me);
        selected.addListener((obs, was, now) -> {
            if (was != null) {
                leave(was);
            }
            open(now);
        });
        searchQuery.addListener((obs, was, now) -> search(now.strip()));
    }

    public Session session() {
        return session;
    }

    public User me() {
        return me.get();
    }

    /** The signed-in user as last changed (e.g. a new display name from the settings). */
    public ReadOnlyObjectProperty<User> meProperty() {
        return me.getReadOnlyProperty();
    }

    public SortedList<ConversationItem> conversations() {
        return sortedConversations;
    }

    public ObjectProperty<ConversationItem> selected() {
        return selected;
    }

    public ObjectProperty<ChatViewModel> openChat() {
        return openChat;
    }

    public ObjectProperty<ConnectionStatus> status() {
        return status;
    }

    public StringProperty searchQuery() {
        return searchQuery;
    }

    public ObservableList<User> searchResults() {
        return searchResults;
    }

    public StringProperty problem() {
        return problem;
    }

    public BooleanProperty windowFocused() {
        return windowFocused;
    }

    public IntegerBinding totalUnread() {
        return totalUnread;
    }

    /** The window's title: the unread count, and the account, so two accounts' windows can be told apart. */
    public StringBinding windowTitle() {
        return windowTitle;
    }

    /**
     * Loads the conversation list, then starts the feed from the position the list was read at; and
     * sends again what an earlier run could not (those come back through the feed like any send).
     */
    public void start() {
        io.execute(() -> outbox.resume(stored -> { }));
        io.execute(() -> {
            try {
                ListConversationsResponse list = api.conversations();
                ui.execute(() -> {
                    for (Conversation conversation : list.getConversationsList()) {
                        conversations.add(new ConversationItem(conversation.getPeer(), conversation.getLastMessage(),
                                (int) Math.min(Integer.MAX_VALUE, conversation.getUnreadCount()), conversation.getLastReadMessageId()));
                    }
                    lastSeq = list.getFeedSeq();
                    feed = api.subscribe(list.getFeedSeq(), feedListener());
                });
            } catch (RuntimeException e) {
                String message = ApiErrors.describe(e, api.serverAddress());
                ui.execute(() -> {
                    if (ApiErrors.isSignedOut(e)) {
                        signedOut();
                    } else {
                        status.set(ConnectionStatus.OFFLINE);
                        problem.set(message);
                    }
                });
            }
        });
    }

    private FeedListener feedListener() {
        return new FeedListener() {
            @Override
            public void onMessage(FeedMessage message) {
                ui.execute(() -> apply(message));
            }

            @Override
            public void onStatus(ConnectionStatus newStatus) {
                // The outbox is told at once, not on the UI thread: a reconnect must not wait for a busy UI.
                if (newStatus == ConnectionStatus.CONNECTED) {
                    outbox.retryNow();
                }
                ui.execute(() -> {
                    status.set(newStatus);
                    if (newStatus == ConnectionStatus.CONNECTED) {
                        problem.set("");
                    }
                });
            }

            @Override
            public void onSignedOut() {
                ui.execute(MainViewModel.this::signedOut);
            }
        };
    }

    private void signedOut() {
        if (deletingAccount) {
            signedOutWhileDeleting = true;
        } else {
            onSignedOut.run();
        }
    }

    /**
     * The settings of this account: a new display name shows here too.
     *
     * @param onAccountDeleted told (on the UI thread) once the server deleted the account
     */
    public SettingsViewModel settings(Runnable onAccountDeleted) {
        SettingsViewModel settings = new SettingsViewModel(api, me(), io, ui, clock, me::set, onAccountDeleted);
        settings.deletingAccount().addListener((obs, was, deleting) -> {
            deletingAccount = deleting;
            if (!deleting && signedOutWhileDeleting) {
                signedOutWhileDeleting = false;
                onSignedOut.run();
            }
        });
        return settings;
    }

    /** Applies one feed entry: each seq once, whatever the feed repeats. */
    void apply(FeedMessage entry) {
        if (entry.getSeq() <= lastSeq) {
            return;
        }
        lastSeq = entry.getSeq();
        Message message = entry.getMessage();
        boolean mine = message.getSenderId().equals(me().getId());
        String peerId = mine ? message.getRecipientId() : message.getSenderId();
        ConversationItem item = find(peerId).orElse(null);
        boolean unknownPeer = item == null;
        if (unknownPeer) {
            item = new ConversationItem(placeholderPeer(peerId), message, 0, 0);
            conversations.add(item);
        } else if (item.lastMessage().get() == null || item.lastMessage().get().getId() < message.getId()) {
            item.lastMessage().set(message);
        }
        ChatViewModel chat = chats.get(peerId);
        if (chat != null) {
            // A conversation opened in this run counts its unread messages itself (read once shown): the badge follows it.
            chat.onMessage(message);
        } else if (!mine) {
            item.unread().set(item.unread().get() + 1);
        }
        boolean looking = item == selected.get() && windowFocused.get();
        if (!mine && !looking && !unknownPeer) {
            notifier.accept(Notification.of(item.peer(), message.getText()));
        }
        if (unknownPeer) {
            fetchPeer(item, mine ? null : message.getText());
        }
    }

    /**
     * Someone we had no conversation with wrote first (or we wrote from another session): fetch
     * their profile for the placeholder row, and only then show the popup, with their name.
     */
    private void fetchPeer(ConversationItem placeholder, String textToNotify) {
        io.execute(() -> {
            User peer;
            try {
                peer = api.user(placeholder.peerId());
            } catch (RuntimeException e) {
                peer = placeholder.peer();
            }
            User known = peer;
            ui.execute(() -> {
                replacePeer(placeholder, known);
                if (textToNotify != null) {
                    notifier.accept(Notification.of(known, textToNotify));
                }
            });
        });
    }

    private void replacePeer(ConversationItem placeholder, User peer) {
        int index = conversations.indexOf(placeholder);
        if (index < 0) {
            return;
        }
        ConversationItem real = new ConversationItem(peer, placeholder.lastMessage().get(), placeholder.unread().get(),
                placeholder.lastReadId());
        real.draft().set(placeholder.draft().get());
        boolean wasSelected = selected.get() == placeholder;
        conversations.set(index, real);
        if (wasSelected) {
            selected.set(real);
        }
    }

    private static User placeholderPeer(String peerId) {
        return User.newBuilder().setId(peerId).setUsername("…").setDisplayName("New conversation").build();
    }

    /** Opens the conversation with this user, starting it if there is none yet (e.g. from search). */
    public void openConversationWith(User peer) {
        ConversationItem item = find(peer.getId()).orElseGet(() -> {
            ConversationItem started = new ConversationItem(peer, null, 0, 0);
            conversations.add(started);
            return started;
        });
        searchQuery.set("");
        selected.set(item);
    }

    /** Opens the conversation with this user id if it is in the list (a clicked notification). */
    public void openConversation(String peerId) {
        find(peerId).ifPresent(selected::set);
    }

    /** Back to no open conversation; what was typed in it stays, as its draft. */
    public void closeConversation() {
        selected.set(null);
    }

    private void open(ConversationItem item) {
        if (item == null) {
            openChat.set(null);
            return;
        }
        ChatViewModel chat = chats.computeIfAbsent(item.peerId(), peerId -> newChat(item));
        // The composer shows what was typed; the list, only for the conversations that are not open.
        item.draft().set("");
        chat.open();
        openChat.set(chat);
    }

    private void leave(ConversationItem item) {
        ChatViewModel chat = chats.get(item.peerId());
        if (chat != null) {
            item.draft().set(chat.draft().get());
        }
    }

    private ChatViewModel newChat(ConversationItem item) {
        ChatViewModel chat = new ChatViewModel(me(), item.peer(), api, outbox, io, ui, clock, item.lastReadId(), item.unread().get());
        chat.looking().bind(windowFocused.and(openChat.isEqualTo(chat)));
        chat.unread().addListener((obs, was, now) -> find(item.peerId()).ifPresent(conversation -> conversation.unread().set(now.intValue())));
        return chat;
    }

    private void search(String query) {
        if (query.isEmpty()) {
            searchResults.clear();
            return;
        }
        io.execute(() -> {
            try {
                List<User> found = api.searchUsers(query);
                ui.execute(() -> {
                    if (query.equals(searchQuery.get().strip())) {
                        searchResults.setAll(found.stream().filter(user -> !user.getId().equals(me().getId())).toList());
                    }
                });
            } catch (RuntimeException e) {
                // A query the server refuses (e.g. a character usernames cannot have) finds nobody.
                ui.execute(() -> {
                    if (query.equals(searchQuery.get().strip())) {
                        searchResults.clear();
                    }
                });
            }
        });
    }

    /** The computer woke up or the network came back: reconnect at once instead of waiting out a back-off. */
    public void reconnectNow() {
        if (feed != null) {
            feed.reconnectNow();
        }
    }

    /** Signs out on the server (best effort) and stops the feed. */
    public void signOut(Runnable done) {
        io.execute(() -> {
            try {
                api.logout();
            } catch (RuntimeException e) {
                // Offline: the token is forgotten here; it expires on the server.
            }
            ui.execute(done);
        });
    }

    public void close() {
        outbox.close();
        if (feed != null) {
            feed.close();
        }
        api.close();
    }

    private Optional<ConversationItem> find(String peerId) {
        return conversations.stream().filter(item -> item.peerId().equals(peerId)).findFirst();
    }
}
