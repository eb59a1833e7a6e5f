package dev.messenger.desktop.conversations;

import dev.messenger.api.v1.Conversation;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.chat.ChatViewModel;
import dev.messenger.desktop.chat.Outbox;
import dev.messenger.desktop.connection.MessengerApi;
import dev.messenger.desktop.notifications.Notification;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableObjectValue;
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
 * The conversations in the sidebar and the one open: rows sorted by activity, each with its
 * preview, draft and unread count, and the unread total. Opening a row opens its chat, kept per
 * peer while the app runs, so what was typed and what is pending survive switching conversations.
 * State changes only on the UI thread.
 */
public final class ConversationListViewModel {
    private final ObservableObjectValue<User> me;
    private final MessengerApi api;
    private final Outbox outbox;
    private final Executor io;
    private final Executor ui;
    private final Clock clock;
    private final ObservableBooleanValue windowFocused;
    private final Consumer<Notification> notifier;

    private final ObservableList<ConversationItem> items = FXCollections.observableArrayList(ConversationItem::shownState);
    private final ObservableList<ConversationItem> sortedItems =
            FXCollections.unmodifiableObservableList(new SortedList<>(items, ConversationItem.BY_ACTIVITY));
    private final Map<String, ChatViewModel> chats = new HashMap<>();
    private final ReadOnlyObjectWrapper<ConversationItem> selected = new ReadOnlyObjectWrapper<>(this, "selected");
    private final ReadOnlyObjectWrapper<ChatViewModel> openChat = new ReadOnlyObjectWrapper<>(this, "openChat");
    private final ReadOnlyIntegerWrapper totalUnread = new ReadOnlyIntegerWrapper(this, "totalUnread");

    /**
     * @param me            the signed-in user
     * @param windowFocused whether the window is in front: only then is what the open chat shows read
     * @param notifier      shows a popup (called on the UI thread)
     */
    public ConversationListViewModel(ObservableObjectValue<User> me, MessengerApi api, Outbox outbox, Executor io,
                                     Executor ui, Clock clock, ObservableBooleanValue windowFocused,
                                     Consumer<Notification> notifier) {
        this.me = me;
        this.api = api;
        this.outbox = outbox;
        this.io = io;
        this.ui = ui;
        this.clock = clock;
        this.windowFocused = windowFocused;
        this.notifier = notifier;
        totalUnread.bind(Bindings.createIntegerBinding(
                () -> items.stream().mapToInt(item -> item.unread().get()).sum(), items));
        selected.addListener((obs, was, now) -> {
            if (was != null) {
                leave(was);
            }
            show(now);
        });
    }

    /** The rows, most recent activity first. */
    public ObservableList<ConversationItem> items() {
        return sortedItems;
    }

    /** The row of the open conversation; null while none is open. */
    public ReadOnlyObjectProperty<ConversationItem> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    /** The open conversation's chat; null while none is open. */
    public ReadOnlyObjectProperty<ChatViewModel> openChatProperty() {
        return openChat.getReadOnlyProperty();
    }

    /** How many of the peers' messages are unread, in all conversations. */
    public ReadOnlyIntegerProperty totalUnreadProperty() {
        return totalUnread.getReadOnlyProperty();
    }

    /** Shows the conversations as the server listed them at start. */
    public void showListed(List<Conversation> listed) {
        for (Conversation conversation : listed) {
            if (!conversation.hasPeer()) {
                continue; // a group: see receive
            }
            items.add(new ConversationItem(conversation.getPeer(), conversation.getLastMessage(),
                    (int) Math.min(Integer.MAX_VALUE, conversation.getUnreadCount()), conversation.getLastReadMessageId()));
        }
    }

    /**
     * A message sent or received (in any session of this account) arrived through the feed: its
     * conversation's row shows it, and the user hears of it unless they are looking at it.
     */
    public void receive(Message message) {
        if (message.getRecipientId().isEmpty()) {
            // A group's message: this version of the app lists direct conversations only (groups: issue 12).
            return;
        }
        boolean mine = message.getSenderId().equals(me.get().getId());
        String peerId = mine ? message.getRecipientId() : message.getSenderId();
        ConversationItem item = find(peerId).orElse(null);
        boolean unknownPeer = item == null;
        if (unknownPeer) {
            item = new ConversationItem(placeholderPeer(peerId), message, 0, 0);
            items.add(item);
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
        int index = items.indexOf(placeholder);
        if (index < 0) {
            return;
        }
        ConversationItem real = new ConversationItem(peer, placeholder.lastMessage().get(), placeholder.unread().get(),
                placeholder.lastReadId());
        real.draft().set(placeholder.draft().get());
        boolean wasSelected = selected.get() == placeholder;
        items.set(index, real);
        if (wasSelected) {
            selected.set(real);
        }
    }

    private static User placeholderPeer(String peerId) {
        return User.newBuilder().setId(peerId).setUsername("…").setDisplayName("New conversation").build();
    }

    /** The user picked this row: its conversation opens. */
    public void open(ConversationItem item) {
        selected.set(item);
    }

    /** Opens the conversation with this user id if it is in the list (a clicked notification). */
    public void openConversationWith(String peerId) {
        find(peerId).ifPresent(selected::set);
    }

    /** Opens the conversation with this user, starting it if there is none yet (e.g. from search). */
    public void startConversationWith(User peer) {
        ConversationItem item = find(peer.getId()).orElseGet(() -> {
            ConversationItem started = new ConversationItem(peer, null, 0, 0);
            items.add(started);
            return started;
        });
        selected.set(item);
    }

    /** Back to no open conversation; what was typed in it stays, as its draft. */
    public void closeConversation() {
        selected.set(null);
    }

    private void show(ConversationItem item) {
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
        ChatViewModel chat = new ChatViewModel(me.get(), item.peer(), api, outbox, io, ui, clock, item.lastReadId(),
                item.unread().get());
        chat.looking().bind(Bindings.and(windowFocused, openChat.isEqualTo(chat)));
        chat.unread().addListener((obs, was, now) -> find(item.peerId()).ifPresent(conversation -> conversation.unread().set(now.intValue())));
        return chat;
    }

    private Optional<ConversationItem> find(String peerId) {
        return items.stream().filter(item -> item.peerId().equals(peerId)).findFirst();
    }
}
