package dev.messenger.platform.auth;

import dev.messenger.platform.db.Rows;
import io.helidon.dbclient.DbClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends what outlives a single call when its session ends: live feeds and long polls watch their
 * session here and are told at once when it is revoked, on this server (a logout) or any other (the
 * {@link SessionRevocationListener} hears every change to a session row from PostgreSQL, and a
 * watched session is then looked up: gone or expired ends its watchers). Revocations made while the
 * listener could not hear are found when it hears again: every watched session is then checked.
 */
public final class SessionRevocations implements RevocationObserver {
    private static final Logger LOG = Logger.getLogger(SessionRevocations.class.getName());
    private static final String LIVE = """
            SELECT id FROM sessions WHERE id = ANY(CAST(:ids AS uuid[])) AND expires_at > :now
            """;

    /**
     * A call authenticates before it starts watching; a revocation in between would be missed, so
     * revocations are remembered this long and a watch of one of them fires at once.
     */
    private static final Duration REMEMBER_REVOKED = Duration.ofMinutes(1);

    private final DbClient db;
    private final Clock clock;
    private final Map<UUID, List<Runnable>> watchers = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> recentlyRevoked = new ConcurrentHashMap<>();

    public SessionRevocations(DbClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Runs {@code onRevoked} once if the session is revoked while watched; closing the result stops
     * watching. The watcher must return quickly (it runs on the thread that heard the revocation).
     */
    public AutoCloseable watch(UUID sessionId, Runnable onRevoked) {
        watchers.computeIfAbsent(sessionId, id -> new CopyOnWriteArrayList<>()).add(onRevoked);
        AutoCloseable stop = () -> watchers.computeIfPresent(sessionId, (id, list) -> {
            list.remove(onRevoked);
            return list.isEmpty() ? null : list;
        });
        if (recentlyRevoked.containsKey(sessionId)) {
            endIfGone(Set.of(sessionId));
        }
        return stop;
    }

    /**
     * A session's row was deleted or changed. A change (a new expiry, say) is announced too, so the
     * watchers end only if the session is gone or expired.
     */
    @Override
    public void revoked(UUID sessionId) {
        Instant now = clock.instant();
        recentlyRevoked.values().removeIf(at -> at.isBefore(now.minus(REMEMBER_REVOKED)));
        recentlyRevoked.put(sessionId, now);
        if (watchers.containsKey(sessionId)) {
            endIfGone(Set.of(sessionId));
        }
    }

    @Override
    public void deaf() {
        // Nothing to do yet: hearing() checks what was missed.
    }

    /** Checks every watched session against the database; throws when it cannot (the listener then tries again). */
    @Override
    public void hearing() {
        endIfGone(Set.copyOf(watchers.keySet()));
    }

    private void endIfGone(Set<UUID> sessionIds) {
        if (sessionIds.isEmpty()) {
            return;
        }
        Set<UUID> live = new HashSet<>();
        try (var rows = db.execute().createQuery(LIVE)
                .addParam("ids", sessionIds.stream().map(UUID::toString).toArray(String[]::new))
                .addParam("now", Rows.utc(clock.instant()))
                .execute()) {
            rows.forEach(row -> live.add(Rows.uuid(row, "id")));
        }
        for (UUID sessionId : sessionIds) {
            if (!live.contains(sessionId)) {
                List<Runnable> ended = watchers.remove(sessionId);
                if (ended != null) {
                    ended.forEach(SessionRevocations::runQuietly);
                }
            }
        }
    }

    private static void runQuietly(Runnable watcher) {
        try {
            watcher.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A revocation watcher failed", e);
        }
    }
}
