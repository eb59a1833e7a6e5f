package dev.messenger.desktop.chat;

import dev.messenger.api.v1.GetHistoryResponse;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.connection.ApiErrors;
import dev.messenger.desktop.connection.Backoff;
import dev.messenger.desktop.connection.MessengerApi;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.IntegerBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One open conversation: its history (oldest first, older pages loaded on demand), the composer,
 * and sends that stay pending until the server has them, retried with the same client message id
 * so a retry never duplicates. State changes only on the UI thread.
 */
public final class ChatViewModel {
    public static final int MAX_TEXT = 4096;
    static final int PAGE = 50;

    private final User me;
    private final User peer;
    private final MessengerApi api;
    private final Executor io;
    private final Executor ui;
    private final Clock clock;
    private final Consumer<Long> onRead;
    private final ObservableList<ChatItem> items = FXCollections.observableArrayList();
    private final Set<Long> shownIds = new HashSet<>();
    private final BooleanProperty hasOlder = new SimpleBooleanProperty(false);
    private final BooleanProperty loadingOlder = new SimpleBooleanProperty(false);
    private final StringProperty draft = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final IntegerBinding remaining;
    private final BooleanBinding canSend;
    private boolean opened;

    /** @param onRead told the id up to which this conversation was marked read */
    public ChatViewModel(User me, User peer, MessengerApi api, Executor io, Executor ui, Clock clock, Consumer<Long> onRead) {
        this.me = me;
        this.peer = peer;
        this.api = api;
        this.io = io;
        this.ui = ui;
        this.clock = clock;
        this.onRead = onRead;
        remaining = Bindings.createIntegerBinding(() -> MAX_TEXT - draft.get().codePointCount(0, draft.get().length()), draft);
        canSend = Bindings.createBooleanBinding(() -> !draft.get().isBlank() && remaining.get() >= 0, draft, remaining);
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

    /** Loads the newest page the first time, and marks the conversation read. */
    public void open() {
        if (opened) {
            markReadUpToNewest();
            return;
        }
        opened = true;
        loadingOlder.set(true);
        io.execute(() -> {
            try {
                GetHistoryResponse page = api.history(peer.getId(), 0, PAGE);
                ui.execute(() -> {
                    addOlder(page);
                    markReadUpToNewest();
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
                ui.execute(() -> addOlder(page));
            } catch (RuntimeException e) {
                String message = ApiErrors.describe(e, api.serverAddress());
                ui.execute(() -> {
                    loadingOlder.set(false);
                    problem.set("Could not load older messages: " + message);
                });
            }
        });
    }

    private void addOlder(GetHistoryResponse page) {
        List<ChatItem> older = new ArrayList<>();
        for (Message message : page.getMessagesList().reversed()) {
            if (shownIds.add(message.getId())) {
                older.add(fromServer(message));
            }
        }
        items.addAll(0, older);
        hasOlder.set(page.getHasMore());
        loadingOlder.set(false);
    }

    /** A message of this conversation from the live feed (either side); repeats are ignored. */
    public void onMessage(Message message) {
        if (!message.getClientMessageId().isEmpty() && message.getSenderId().equals(me.getId())) {
            for (int i = 0; i < items.size(); i++) {
                ChatItem item = items.get(i);
                if (item.id() == 0 && item.clientMessageId().equals(message.getClientMessageId())) {
                    shownIds.add(message.getId());
                    items.set(i, fromServer(message));
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
        ChatItem pending = new ChatItem(0, UUID.randomUUID().toString(), true, text, clock.instant(), ChatItem.State.PENDING, "");
        items.add(pending);
        deliver(pending);
    }

    /** Sends a failed message again, with the same client message id. */
    public void retry(ChatItem failed) {
        int index = items.indexOf(failed);
        if (index < 0 || failed.state() != ChatItem.State.FAILED) {
            return;
        }
        ChatItem pending = failed.withState(ChatItem.State.PENDING, "");
        items.set(index, pending);
        deliver(pending);
    }

    private void deliver(ChatItem pending) {
        io.execute(() -> {
            Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15), new SecureRandom());
            while (true) {
                try {
                    Message stored = api.send(peer.getId(), pending.text(), pending.clientMessageId()).getMessage();
                    ui.execute(() -> onMessage(stored));
                    return;
                } catch (RuntimeException e) {
                    if (!ApiErrors.isRetryable(e)) {
                        String message = ApiErrors.describe(e, api.serverAddress());
                        ui.execute(() -> markFailed(pending.clientMessageId(), message));
                        return;
                    }
                    sleep(backoff.next());
                }
            }
        });
    }

    private void markFailed(String clientMessageId, String message) {
        for (int i = 0; i < items.size(); i++) {
            ChatItem item = items.get(i);
            if (item.id() == 0 && item.clientMessageId().equals(clientMessageId)) {
                items.set(i, item.withState(ChatItem.State.FAILED, message));
            }
        }
    }

    /** Marks everything shown as read (the user is looking at it). */
    public void markReadUpToNewest() {
        long newest = items.stream().filter(item -> item.id() > 0 && !item.mine()).mapToLong(ChatItem::id).max().orElse(0);
        if (newest == 0) {
            return;
        }
        onRead.accept(newest);
        io.execute(() -> {
            try {
                api.markRead(peer.getId(), newest);
            } catch (RuntimeException e) {
                // The badge is already cleared here; the server catches up at the next read mark.
            }
        });
    }

    private ChatItem fromServer(Message message) {
        Instant sentAt = Instant.ofEpochSecond(message.getSentAt().getSeconds(), message.getSentAt().getNanos());
        return new ChatItem(message.getId(), message.getClientMessageId(), message.getSenderId().equals(me.getId()),
                message.getText(), sentAt, ChatItem.State.SENT, "");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
