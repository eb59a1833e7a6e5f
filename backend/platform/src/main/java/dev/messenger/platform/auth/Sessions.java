package dev.messenger.platform.auth;

import dev.messenger.platform.db.Rows;
import dev.messenger.platform.errors.ApiException;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Login sessions: issues tokens, resolves a token to its caller on every call, revokes at logout.
 * Recently used sessions are answered from a {@link SessionCache}, which hears of every revocation
 * from PostgreSQL (on any server instance) at commit, so a logout is effective at once everywhere;
 * while revocations cannot be heard, every check goes to the database. Calls that outlive a request
 * (feeds, long polls) {@linkplain #watch watch} their session and end when it does.
 */
public final class Sessions {
    private static final Logger LOG = Logger.getLogger(Sessions.class.getName());
    private static final String INSERT = """
            INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at)
            VALUES (CAST(:id AS uuid), :tokenHash, CAST(:userId AS uuid), :createdAt, :expiresAt)
            """;
    private static final String FIND = """
            SELECT id, user_id, expires_at FROM sessions WHERE token_hash = :tokenHash AND expires_at > :now
            """;
    private static final String DELETE = "DELETE FROM sessions WHERE id = CAST(:id AS uuid)";
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

    public IssuedToken open(UUID userId) {
        String token = tokens.newToken();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        db.execute().createInsert(INSERT)
                .addParam("id", UUID.randomUUID())
                .addParam("tokenHash", Tokens.hash(token))
                .addParam("userId", userId)
                .addParam("createdAt", Rows.utc(now))
                .addParam("expiresAt", Rows.utc(expiresAt))
                .execute();
        return new IssuedToken(token, expiresAt);
    }

    /** The caller for an {@code Authorization} header value; UNAUTHENTICATED when missing, malformed, expired or revoked. */
    public Caller authenticate(String authorizationHeader) {
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
                .execute()
                .orElseThrow(() -> ApiException.unauthenticated("The session has expired or was signed out; sign in again"));
        Caller caller = new Caller(Rows.uuid(session, "user_id"), Rows.uuid(session, "id"), Rows.instant(session, "expires_at"));
        cache.put(tokenHash, caller, caller.sessionExpiresAt(), generation, now);
        return caller;
    }

    public void close(Caller caller) {
        db.execute().createDelete(DELETE).addParam("id", caller.sessionId()).execute();
        // Other servers hear of it from PostgreSQL; this one need not wait for that.
        cache.revoked(caller.sessionId());
        try {
            revocations.revoked(caller.sessionId());
        } catch (RuntimeException e) {
            // The session is gone; this server's listener hears of it from PostgreSQL too.
            LOG.log(Level.WARNING, "Could not end the feeds of session " + caller.sessionId() + " at once", e);
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
