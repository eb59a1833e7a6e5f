package dev.messenger.desktop.main;

import dev.messenger.api.v1.FeedMessage;
import dev.messenger.api.v1.ListConversationsResponse;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.chat.Outbox;
import dev.messenger.desktop.connection.ApiErrors;
import dev.messenger.desktop.connection.Backoff;
import dev.messenger.desktop.connection.ConnectionStatus;
import dev.messenger.desktop.connection.FeedListener;
import dev.messenger.desktop.connection.LiveFeed;
import dev.messenger.desktop.connection.MessengerApi;
import dev.messenger.desktop.connection.RetrySignal;
import dev.messenger.desktop.conversations.ConversationListViewModel;
import dev.messenger.desktop.notifications.Notification;
import dev.messenger.desktop.people.SearchViewModel;
import dev.messenger.desktop.session.Session;
import dev.messenger.desktop.settings.SettingsViewModel;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The signed-in app: the session, the connection status and the live feed that drives the
 * conversation list, composed with that list and the people search; signing out, and a feed that
 * ends while the account is being deleted. Feed entries are applied on the UI thread, each seq once.
 */
public final class MainViewModel {
    private final Session session;
    private final MessengerApi api;
    private final Outbox outbox;
    private final Executor io;
    private final Executor ui;
    private final Clock clock;
    private final Runnable onSignedOut;
    private final ReadOnlyObjectWrapper<User> me;
    private final ReadOnlyObjectWrapper<ConnectionStatus> status = new ReadOnlyObjectWrapper<>(this, "status", ConnectionStatus.CONNECTING);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyBooleanWrapper windowFocused = new ReadOnlyBooleanWrapper(this, "windowFocused", true);
    private final ReadOnlyStringWrapper windowTitle = new ReadOnlyStringWrapper(this, "windowTitle");
    private final ConversationListViewModel conversations;
    private final SearchViewModel search;
    private final RetrySignal loadAgain = new RetrySignal();
    private volatile boolean closed;
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
        this.onSignedOut = onSignedOut;
        this.me = new ReadOnlyObjectWrapper<>(this, "me", session.me());
        conversations = new ConversationListViewModel(me.getReadOnlyProperty(), api, outbox, io, ui, clock,
                windowFocused.getReadOnlyProperty(), notifier);
        search = new SearchViewModel(api, session.me().getId(), io, ui, conversations::startConversationWith);
        var totalUnread = conversations.totalUnreadProperty();
        windowTitle.bind(Bindings.createStringBinding(() -> "Messenger"
                + (totalUnread.get() > 0 ? " (" + totalUnread.get() + ")" : "")
                + " — " + me.get().getUsername(), totalUnread, me));
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

    public ConversationListViewModel conversations() {
        return conversations;
    }

    public SearchViewModel search() {
        return search;
    }

    public ReadOnlyObjectProperty<ConnectionStatus> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Why the conversations could not be loaded; blank once the feed is connected. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty windowFocusedProperty() {
        return windowFocused.getReadOnlyProperty();
    }

    /** The window came to the front or went behind another: only in front is what the open chat shows read. */
    public void windowFocusChanged(boolean focused) {
        windowFocused.set(focused);
    }

    /** The window's title: the unread count, and the account, so two accounts' windows can be told apart. */
    public ReadOnlyStringProperty windowTitleProperty() {
        return windowTitle.getReadOnlyProperty();
    }

    /**
     * Loads the conversation list, then starts the feed from the position the list was read at; and
     * sends again what an earlier run could not (those come back through the feed like any send).
     */
    public void start() {
        io.execute(() -> outbox.resume(stored -> { }));
        io.execute(this::loadConversationsThenSubscribe);
    }

    /**
     * A server that cannot be reached at start (the computer woke before its network, the server
     * is restarting) is tried again with back-off until it answers, at once on "Retry now" or a
     * wake-up; the feed, which keeps itself connected afterwards, needs the list's position first.
     */
    private void loadConversationsThenSubscribe() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new SecureRandom());
        while (!closed) {
            long firings = loadAgain.firings();
            try {
                ListConversationsResponse list = api.conversations();
                ui.execute(() -> {
                    if (!closed) {
                        conversations.showListed(list.getConversationsList());
                        lastSeq = list.getFeedSeq();
                        feed = api.subscribe(list.getFeedSeq(), feedListener());
                    }
                });
                return;
            } catch (RuntimeException e) {
                if (ApiErrors.isSignedOut(e)) {
                    ui.execute(this::signedOut);
                    return;
                }
                String message = ApiErrors.describe(e, api.serverAddress());
                ui.execute(() -> {
                    status.set(ConnectionStatus.OFFLINE);
                    problem.set(message);
                });
            }
            loadAgain.awaitFiringSince(firings, backoff.next());
        }
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
        conversations.receive(entry.getMessage());
    }

    /** The computer woke up or the network came back: reconnect at once instead of waiting out a back-off. */
    public void reconnectNow() {
        if (feed != null) {
            feed.reconnectNow();
        } else {
            loadAgain.fire();
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
        closed = true;
        loadAgain.fire();
        outbox.close();
        if (feed != null) {
            feed.close();
        }
        api.close();
    }
}
