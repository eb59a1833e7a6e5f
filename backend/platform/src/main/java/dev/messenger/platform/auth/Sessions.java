package dev.messenger.platform.auth;

import dev.messenger.platform.db.Rows;
import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.limits.ClientAddress;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Login sessions: issues tokens, resolves a token to its caller on every call, revokes at logout.
 * Recently used sessions are answered from a {@link SessionCache}, which hears of every revocation
 * from PostgreSQL (on any server instance) at commit, so a logout is effective at once everywhere;
 * while revocations cannot be heard, every check goes to the database. Calls that outlive a request
 * (feeds, long polls) {@linkplain #watch watch} their session and end when it does.
 */
public final class Sessions {
    private static final Logger LOG = Logger.getLogger(Sessions.class.getName());
    /** How often a session's last use is written down at most (the devices list shows it to the minute). */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final String INSERT = """
            INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at, device_name, last_used_at, client_address)
            VALUES (CAST(:id AS uuid), :tokenHash, CAST(:userId AS uuid), :createdAt, :expiresAt, :deviceName, :createdAt,
                    CAST(:clientAddress AS inet))
            """;
    // One round trip: the look-up, and the touch when the last one is older than TOUCH_INTERVAL.
    private static final String FIND = """
            WITH found AS (
                SELECT id, user_id, expires_at, last_used_at FROM sessions WHERE token_hash = :tokenHash AND expires_at > :now
            ), touched AS (
                UPDATE sessions s SET last_used_at = :now, client_address = CAST(:clientAddress AS inet)
                FROM found WHERE s.id = found.id AND found.last_used_at < :staleBefore
                RETURNING s.id
            )
            SELECT id, user_id, expires_at FROM found
            """;
    private static final String LIST = """
            SELECT id, device_name, created_at, last_used_at, host(client_address) AS client_address, expires_at
            FROM sessions WHERE user_id = CAST(:userId AS uuid) AND expires_at > :now
            ORDER BY last_used_at DESC, created_at DESC
            """;
    private static final String DELETE = "DELETE FROM sessions WHERE id = CAST(:id AS uuid)";
    private static final String DELETE_OWN = "DELETE FROM sessions WHERE id = CAST(:id AS uuid) AND user_id = CAST(:userId AS uuid)";
    private static final String DELETE_OTHERS = """
            DELETE FROM sessions WHERE user_id = CAST(:userId AS uuid) AND id <> CAST(:keep AS uuid) RETURNING id
            """;
    private static final String DELETE_ALL = "DELETE FROM sessions WHERE user_id = CAST(:userId AS uuid) RETURNING id";
    private static final String DELETE_EXPIRED = "DELETE FROM sessions WHERE expires_at <= :now";

    private final DbClient db;
    private final Tokens tokens;
    private final Duration ttl;
    private final Clock clock;
    private final SessionCache cache;
    private final SessionRevocations revocations;

    public Sessions(DbClient db, Tokens tokens, Duration ttl, Clock clock, SessionCache cache, SessionRevocations revocations) {
        this.db = db;
        this.tokens = tokens;
        this.ttl = ttl;
        this.clock = clock;
        this.cache = cache;
        this.revocations = revocations;
    }

    /** A session as the devices list shows it. */
    public record Device(UUID id, String deviceName, Instant createdAt, Instant lastUsedAt, Optional<String> clientAddress,
                         Instant expiresAt) {
    }

    /** @param deviceName already validated (at most 64 characters, may be empty) */
    public IssuedToken open(UUID userId, String deviceName, ClientAddress from) {
        String token = tokens.newToken();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        db.execute().createInsert(INSERT)
                .addParam("id", UUID.randomUUID())
                .addParam("tokenHash", Tokens.hash(token))
                .addParam("userId", userId)
                .addParam("createdAt", Rows.utc(now))
                .addParam("expiresAt", Rows.utc(expiresAt))
                .addParam("deviceName", deviceName)
                .addParam("clientAddress", from.address().getHostAddress())
                .execute();
        return new IssuedToken(token, expiresAt);
    }

    /**
     * The caller for an {@code Authorization} header value; UNAUTHENTICATED when missing, malformed,
     * expired or revoked. A look-up in the database also records the session's use (at most once a
     * {@link #TOUCH_INTERVAL}) from {@code from}; cached sessions are looked up again at least every
     * {@code auth.session-cache.max-age}.
     */
    public Caller authenticate(String authorizationHeader, ClientAddress from) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw ApiException.unauthenticated("Sign in first: send 'Authorization: Bearer <token>'");
        }
        String token = Tokens.fromAuthorizationHeader(authorizationHeader)
                .orElseThrow(() -> ApiException.unauthenticated("Malformed authorization header"));
        byte[] tokenHash = Tokens.hash(token);
        Instant now = clock.instant();
        Optional<Caller> cached = cache.get(tokenHash, now);
        if (cached.isPresent()) {
            return cached.get();
        }
        long generation = cache.generation();
        DbRow session = db.execute().createGet(FIND)
                .addParam("tokenHash", tokenHash)
                .addParam("now", Rows.utc(now))
                .addParam("staleBefore", Rows.utc(now.minus(TOUCH_INTERVAL)))
                .addParam("clientAddress", from.address().getHostAddress())
                .execute()
                .orElseThrow(() -> ApiException.unauthenticated("The session has expired or was signed out; sign in again"));
        Caller caller = new Caller(Rows.uuid(session, "user_id"), Rows.uuid(session, "id"), Rows.instant(session, "expires_at"));
        cache.put(tokenHash, caller, caller.sessionExpiresAt(), generation, now);
        return caller;
    }

    public void close(Caller caller) {
        db.execute().createDelete(DELETE).addParam("id", caller.sessionId()).execute();
        ended(List.of(caller.sessionId()));
    }

    /** The caller's live sessions, most recently used first. */
    public List<Device> list(Caller caller) {
        try (Stream<DbRow> rows = db.execute().createQuery(LIST)
                .addParam("userId", caller.userId())
                .addParam("now", Rows.utc(clock.instant()))
                .execute()) {
            return rows.map(row -> new Device(Rows.uuid(row, "id"), Rows.string(row, "device_name"),
                    Rows.instant(row, "created_at"), Rows.instant(row, "last_used_at"),
                    Optional.ofNullable(Rows.nullableString(row, "client_address")), Rows.instant(row, "expires_at"))).toList();
        }
    }

    /** Ends one of the caller's sessions; NOT_FOUND for an id that is not one of them (or is already gone). */
    public void revoke(Caller caller, UUID sessionId) {
        long deleted = db.execute().createDelete(DELETE_OWN)
                .addParam("id", sessionId)
                .addParam("userId", caller.userId())
                .execute();
        if (deleted == 0) {
            throw ApiException.notFound("No session " + sessionId + " of yours");
        }
        ended(List.of(sessionId));
    }

    /** Ends every session of the caller's but the caller's own; returns how many. */
    public int revokeOthers(Caller caller) {
        List<UUID> ended = deleteOthers(db.execute(), caller);
        ended(ended);
        return ended.size();
    }

    /**
     * Deletes every session of the caller's but the caller's own within a transaction of the
     * caller's (e.g. with a password change); after the commit, hand the ids to {@link #ended}.
     */
    public List<UUID> deleteOthers(DbExecute exec, Caller caller) {
        try (Stream<DbRow> rows = exec.createQuery(DELETE_OTHERS)
                .addParam("userId", caller.userId())
                .addParam("keep", caller.sessionId())
                .execute()) {
            return rows.map(row -> Rows.uuid(row, "id")).toList();
        }
    }

    /**
     * Deletes every session of the user within a transaction of the caller's (deleting the
     * account); after the commit, hand the ids to {@link #ended}.
     */
    public List<UUID> deleteAll(DbExecute exec, UUID userId) {
        try (Stream<DbRow> rows = exec.createQuery(DELETE_ALL).addParam("userId", userId).execute()) {
            return rows.map(row -> Rows.uuid(row, "id")).toList();
        }
    }

    /**
     * Sessions deleted on this server: they stop working here and their streams end at once. Other
     * servers hear of them from PostgreSQL; this one need not wait for that.
     */
    public void ended(List<UUID> sessionIds) {
        for (UUID sessionId : sessionIds) {
            cache.revoked(sessionId);
            try {
                revocations.revoked(sessionId);
            } catch (RuntimeException e) {
                // The session is gone; this server's listener hears of it from PostgreSQL too.
                LOG.log(Level.WARNING, "Could not end the feeds of session " + sessionId + " at once", e);
            }
        }
    }

    /**
     * Runs {@code onEnd} once when the caller's session is revoked (on any server); closing the
     * result stops watching. For calls that outlive a request: feeds, long polls.
     */
    public AutoCloseable watch(Caller caller, Runnable onEnd) {
        return revocations.watch(caller.sessionId(), onEnd);
    }

    /** Removes sessions past their expiry; returns how many. */
    public long purgeExpired() {
        return db.execute().createDelete(DELETE_EXPIRED)
                .addParam("now", Rows.utc(clock.instant()))
                .execute();
    }
}
