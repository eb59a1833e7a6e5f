package dev.messenger.platform.auth;

import dev.messenger.platform.db.Database;
import dev.messenger.platform.service.RetryBackoff;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Listens on its own PostgreSQL connection for the session revocations the schema announces
 * ({@code db/migrations/V2}) and passes them to its observers: the {@link SessionCache} (used only
 * while this listener is listening: when the connection fails it is switched off at once, and on
 * again, empty, once the listener listens again) and the {@link SessionRevocations} that end feeds
 * and long polls.
 */
public final class SessionRevocationListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SessionRevocationListener.class.getName());
    static final String CHANNEL = "messenger_session_revoked";
    /** How the listening connection shows in {@code pg_stat_activity}. */
    public static final String APPLICATION_NAME = "messenger-session-listener";
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Database.Coordinates database;
    private final List<RevocationObserver> observers;
    private volatile boolean running = true;
    private volatile Connection connection;
    private Thread worker;

    public SessionRevocationListener(Database.Coordinates database, List<RevocationObserver> observers) {
        this.database = database;
        this.observers = List.copyOf(observers);
    }

    public void start() {
        worker = Thread.ofPlatform().name("session-revocations").daemon().start(this::run);
    }

    private void run() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(200), MAX_BACKOFF);
        boolean failing = false;
        while (running) {
            try (Connection listening = connect()) {
                connection = listening;
                try (Statement listen = listening.createStatement()) {
                    listen.execute("LISTEN " + CHANNEL);
                }
                observers.forEach(RevocationObserver::hearing);
                backoff.reset();
                if (failing) {
                    LOG.info("Hearing session revocations again");
                    failing = false;
                }
                PGConnection notifications = listening.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = notifications.getNotifications((int) POLL.toMillis());
                    if (received != null) {
                        for (PGNotification notification : received) {
                            revoked(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                observers.forEach(RevocationObserver::deaf);
                if (running) {
                    if (!failing) {
                        LOG.log(Level.WARNING, "Not hearing session revocations (" + e.getMessage()
                                + "); every call is authenticated against the database until this reconnects");
                        failing = true;
                    }
                    backoff.pause();
                }
            } finally {
                connection = null;
            }
        }
        observers.forEach(RevocationObserver::deaf);
    }

    private void revoked(String payload) {
        UUID sessionId;
        try {
            sessionId = UUID.fromString(payload);
        } catch (IllegalArgumentException e) {
            // Not a session id: someone else's message on our channel. Start over to be safe.
            LOG.warning("Unexpected payload on " + CHANNEL + "; rechecking every session");
            observers.forEach(RevocationObserver::deaf);
            observers.forEach(RevocationObserver::hearing);
            return;
        }
        observers.forEach(observer -> observer.revoked(sessionId));
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", database.username());
        properties.setProperty("password", database.password());
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        // A half-open connection must not look like a quiet one for long.
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(database.url(), properties);
    }

    @Override
    public void close() {
        running = false;
        Connection current = connection;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException e) {
                LOG.fine("Closing the listening connection: " + e.getMessage());
            }
        }
        if (worker != null) {
            try {
                worker.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
