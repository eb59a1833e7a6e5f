package dev.messenger.desktop.chat;

import dev.messenger.api.v1.GetHistoryResponse;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.connection.ApiErrors;
import dev.messenger.desktop.connection.MessengerApi;
import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.IntegerBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * One open conversation: its history (oldest first, older pages loaded on demand), the composer,
 * and sends that stay pending until the server has them (kept in the {@link Outbox}, so they
 * survive a restart, and retried with the same client message id so a retry never duplicates).
 * The peer's messages count as read once the view has shown them while the user was looking (the
 * window focused, this conversation open), not when the conversation opens.
 * State changes only on the UI thread.
 */
public final class ChatViewModel {
    public static final int MAX_TEXT = 4096;
    static final int PAGE = 50;

    private final User me;
    private final User peer;
    private final MessengerApi api;
    private final Outbox outbox;
    private final Executor io;
    private final Executor ui;
    private final Clock clock;
    private final ObservableList<ChatItem> items = FXCollections.observableArrayList();
    private final Set<Long> shownIds = new HashSet<>();
    private final BooleanProperty hasOlder = new SimpleBooleanProperty(false);
    private final BooleanProperty loadingOlder = new SimpleBooleanProperty(false);
    private final StringProperty draft = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final IntegerBinding remaining;
    private final BooleanBinding canSend;
    private final BooleanProperty looking = new SimpleBooleanProperty(false);
    private final ReadOnlyIntegerWrapper unread = new ReadOnlyIntegerWrapper(this, "unread");
    private final ReadOnlyIntegerWrapper newBelow = new ReadOnlyIntegerWrapper(this, "newBelow");
    private final ReadOnlyLongWrapper unreadMarker = new ReadOnlyLongWrapper(this, "unreadMarker");
    private final ReadOnlyIntegerWrapper unreadMarkerCount = new ReadOnlyIntegerWrapper(this, "unreadMarkerCount");
    private final int unreadAtStart;
    /** The peer's messages up to this id are read. */
    private long readUpTo;
    /** The newest message the user has had in view (or had read before): those after it are new. */
    private long seenUpTo;
    /** The newest message whose end the view shows now. */
    private long shownNow;
    private boolean opened;

    /**
     * @param lastReadId  the peer's messages up to this id were read (in an earlier run or on another device)
     * @param unreadCount how many of the peer's messages are unread: the history is loaded back to the first of them
     */
    public ChatViewModel(User me, User peer, MessengerApi api, Outbox outbox, Executor io, Executor ui, Clock clock,
                         long lastReadId, int unreadCount) {
        this.me = me;
        this.peer = peer;
        this.api = api;
        this.outbox = outbox;
        this.io = io;
        this.ui = ui;
        this.clock = clock;
        this.readUpTo = lastReadId;
        this.seenUpTo = lastReadId;
        this.unreadAtStart = unreadCount;
        items.addListener((InvalidationListener) obs -> count());
        looking.addListener((obs, was, now) -> {
            if (now) {
                markRead(shownNow);
            }
        });
        remaining = Bindings.createIntegerBinding(() -> MAX_TEXT - draft.get().codePointCount(0, draft.get().length()), draft);
        // A deleted account receives nothing: its history stays readable, the composer is off.
        canSend = Bindings.createBooleanBinding(() -> !peer.getDeleted() && !draft.get().isBlank() && remaining.get() >= 0,
                draft, remaining);
    }

    public User peer() {
        return peer;
    }

    public ObservableList<ChatItem> items() {
        return items;
    }

    public BooleanProperty hasOlder() {
        return hasOlder;
    }

    public BooleanProperty loadingOlder() {
        return loadingOlder;
    }

    public StringProperty draft() {
        return draft;
    }

    public StringProperty problem() {
        return problem;
    }

    public IntegerBinding remaining() {
        return remaining;
    }

    public BooleanBinding canSend() {
        return canSend;
    }

    /** Whether the user can see this conversation (window focused, conversation open): what it shows is read. */
    public BooleanProperty looking() {
        return looking;
    }

    /** How many of the peer's messages are unread. */
    public ReadOnlyIntegerProperty unread() {
        return unread.getReadOnlyProperty();
    }

    /** How many of the peer's messages arrived after the newest one the user has had in view. */
    public ReadOnlyIntegerProperty newBelow() {
        return newBelow.getReadOnlyProperty();
    }

    /** The first unread message when the conversation was opened, shown under an "N new messages" line; 0: none. */
    public ReadOnlyLongProperty unreadMarker() {
        return unreadMarker.getReadOnlyProperty();
    }

    /** The N of that line. */
    public ReadOnlyIntegerProperty unreadMarkerCount() {
        return unreadMarkerCount.getReadOnlyProperty();
    }

    /**
     * Opens the conversation; the first time loads the history back to the first unread message and
     * puts the "N new messages" line above it. (Opened again, the conversation is where the user left it.)
     */
    public void open() {
        if (opened) {
            return;
        }
        opened = true;
        loadingOlder.set(true);
        long lastRead = readUpTo;
        io.execute(() -> {
            try {
                List<Message> newestFirst = new ArrayList<>();
                GetHistoryResponse page = api.history(peer.getId(), 0, PAGE);
                newestFirst.addAll(page.getMessagesList());
                while (page.getHasMore() && !page.getMessagesList().isEmpty() && unreadIn(newestFirst, lastRead) < unreadAtStart) {
                    page = api.history(peer.getId(), newestFirst.getLast().getId(), PAGE);
                    newestFirst.addAll(page.getMessagesList());
                }
                boolean hasMore = page.getHasMore();
                List<Outbox.Entry> waiting = outbox.waiting(peer.getId());
                ui.execute(() -> {
                    addOlder(newestFirst, hasMore);
                    addWaiting(waiting);
                    placeUnreadMarker();
                });
            } catch (RuntimeException e) {
                String message = ApiErrors.describe(e, api.serverAddress());
                ui.execute(() -> {
                    loadingOlder.set(false);
                    problem.set("Could not load the history: " + message);
                });
            }
        });
    }

    /** Loads the page before the oldest message shown, if there is one and none is loading. */
    public void loadOlder() {
        if (!hasOlder.get() || loadingOlder.get()) {
            return;
        }
        long oldest = items.stream().filter(item -> item.id() > 0).mapToLong(ChatItem::id).min().orElse(0);
        loadingOlder.set(true);
        io.execute(() -> {
            try {
                GetHistoryResponse page = api.history(peer.getId(), oldest, PAGE);
                ui.execute(() -> addOlder(page.getMessagesList(), page.getHasMore()));
            } catch (RuntimeException e) {
                String message = ApiErrors.describe(e, api.serverAddress());
                ui.execute(() -> {
                    loadingOlder.set(false);
                    problem.set("Could not load older messages: " + message);
                });
            }
        });
    }

    private long unreadIn(List<Message> messages, long lastRead) {
        return messages.stream().filter(message -> !message.getSenderId().equals(me.getId()) && message.getId() > lastRead).count();
    }

    private void addOlder(List<Message> newestFirst, boolean more) {
        List<ChatItem> older = new ArrayList<>();
        for (Message message : newestFirst.reversed()) {
            if (shownIds.add(message.getId())) {
                older.add(fromServer(message));
            }
        }
        items.addAll(0, older);
        hasOlder.set(more);
        loadingOlder.set(false);
    }

    /**
     * Sends from an earlier run the server has not confirmed: shown after the history, pending (the
     * main view delivers them from start-up) or failed. One the history already holds was stored
     * after all.
     */
    private void addWaiting(List<Outbox.Entry> waiting) {
        for (Outbox.Entry entry : waiting) {
            Optional<ChatItem> shown = items.stream()
                    .filter(item -> item.clientMessageId().equals(entry.clientMessageId()))
                    .findFirst();
            if (shown.isEmpty()) {
                items.add(new ChatItem(0, entry.clientMessageId(), true, entry.text(), entry.createdAt(),
                        entry.failed() ? ChatItem.State.FAILED : ChatItem.State.PENDING, entry.failure()));
            } else if (shown.get().id() > 0) {
                io.execute(() -> outbox.confirmed(entry.clientMessageId()));
            }
        }
    }

    /** A message of this conversation from the live feed (either side); repeats are ignored. */
    public void onMessage(Message message) {
        if (!message.getClientMessageId().isEmpty() && message.getSenderId().equals(me.getId())) {
            for (int i = 0; i < items.size(); i++) {
                ChatItem item = items.get(i);
                if (item.id() == 0 && item.clientMessageId().equals(message.getClientMessageId())) {
                    shownIds.add(message.getId());
                    items.set(i, fromServer(message));
                    io.execute(() -> outbox.confirmed(message.getClientMessageId()));
                    return;
                }
            }
        }
        if (shownIds.add(message.getId())) {
            items.add(fromServer(message));
        }
    }

    /** Sends the draft: shown at once as pending, retried until the server has it. */
    public void send() {
        if (!canSend.get()) {
            return;
        }
        String text = draft.get().strip();
        draft.set("");
        Instant now = clock.instant();
        String clientMessageId = UUID.randomUUID().toString();
        items.add(new ChatItem(0, clientMessageId, true, text, now, ChatItem.State.PENDING, ""));
        Outbox.Entry entry = new Outbox.Entry(clientMessageId, peer.getId(), text, now, "");
        // On this thread, before anything else: a message sent just before quitting is still sent at the next start.
        outbox.record(entry);
        deliver(entry);
    }

    /** Sends a failed message again, with the same client message id. */
    public void retry(ChatItem failed) {
        int index = items.indexOf(failed);
        if (index < 0 || failed.state() != ChatItem.State.FAILED) {
            return;
        }
        ChatItem pending = failed.withState(ChatItem.State.PENDING, "");
        items.set(index, pending);
        Outbox.Entry entry = new Outbox.Entry(failed.clientMessageId(), peer.getId(), failed.text(), failed.sentAt(), "");
        outbox.record(entry);
        deliver(entry);
    }

    private void deliver(Outbox.Entry entry) {
        outbox.deliver(entry, stored -> ui.execute(() -> onMessage(stored)),
                reason -> ui.execute(() -> markFailed(entry.clientMessageId(), reason)));
    }

    private void markFailed(String clientMessageId, String message) {
        for (int i = 0; i < items.size(); i++) {
            ChatItem item = items.get(i);
            if (item.id() == 0 && item.clientMessageId().equals(clientMessageId)) {
                items.set(i, item.withState(ChatItem.State.FAILED, message));
            }
        }
    }

    /**
     * The view tells the newest message whose end it shows (0: none); while the user is looking,
     * the peer's messages up to it are read.
     */
    public void shown(long newestShownId) {
        shownNow = newestShownId;
        if (newestShownId > seenUpTo) {
            seenUpTo = newestShownId;
            count();
        }
        if (looking.get()) {
            markRead(newestShownId);
        }
    }

    private void markRead(long upTo) {
        if (upTo <= readUpTo) {
            return;
        }
        boolean theirs = items.stream().anyMatch(item -> isUnread(item) && item.id() <= upTo);
        readUpTo = upTo;
        count();
        if (!theirs) {
            return;
        }
        io.execute(() -> {
            try {
                api.markRead(peer.getId(), upTo);
            } catch (RuntimeException e) {
                // The badge is already cleared here; the server catches up at the next read mark.
            }
        });
    }

    /** Puts the "N new messages" line above the first unread message, if there is one. */
    private void placeUnreadMarker() {
        List<ChatItem> unreadItems = items.stream().filter(this::isUnread).toList();
        unreadMarkerCount.set(unreadItems.size());
        unreadMarker.set(unreadItems.isEmpty() ? 0 : unreadItems.getFirst().id());
    }

    private boolean isUnread(ChatItem item) {
        return !item.mine() && item.id() > readUpTo;
    }

    private void count() {
        unread.set((int) items.stream().filter(this::isUnread).count());
        newBelow.set((int) items.stream().filter(item -> !item.mine() && item.id() > seenUpTo).count());
    }

    private ChatItem fromServer(Message message) {
        Instant sentAt = Instant.ofEpochSecond(message.getSentAt().getSeconds(), message.getSentAt().getNanos());
        return new ChatItem(message.getId(), message.getClientMessageId(), message.getSenderId().equals(me.getId()),
                message.getText(), sentAt, ChatItem.State.SENT, "");
    }

}
