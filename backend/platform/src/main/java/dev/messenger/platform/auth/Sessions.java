package dev.messenger.platform.auth;

import dev.messenger.platform.db.Rows;
import dev.messenger.platform.errors.ApiException;
import io.helidon.dbclient.DbClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Login sessions: issues tokens, resolves a token to its caller on every call, revokes at logout.
 * Every check goes to the database, so a logout is effective at once on every server instance.
 */
public final class Sessions {
    private static final String INSERT = """
            INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at)
            VALUES (CAST(:id AS uuid), :tokenHash, CAST(:userId AS uuid), :createdAt, :expiresAt)
            """;
    private static final String FIND = """
            SELECT id, user_id FROM sessions WHERE token_hash = :tokenHash AND expires_at > :now
            """;
    private static final String DELETE = "DELETE FROM sessions WHERE id = CAST(:id AS uuid)";
    private static final String DELETE_EXPIRED = "DELETE FROM sessions WHERE expires_at <= :now";

    private final DbClient db;
    private final Tokens tokens;
    private final Duration ttl;
    private final Clock clock;

    public Sessions(DbClient db, Tokens tokens, Duration ttl, Clock clock) {
        this.db = db;
        this.tokens = tokens;
        this.ttl = ttl;
        this.clock = clock;
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
        return db.execute().createGet(FIND)
                .addParam("tokenHash", Tokens.hash(token))
                .addParam("now", Rows.utc(clock.instant()))
                .execute()
                .map(row -> new Caller(Rows.uuid(row, "user_id"), Rows.uuid(row, "id")))
                .orElseThrow(() -> ApiException.unauthenticated("The session has expired or was signed out; sign in again"));
    }

    public void close(Caller caller) {
        db.execute().createDelete(DELETE).addParam("id", caller.sessionId()).execute();
    }

    /** Removes sessions past their expiry; returns how many. */
    public long purgeExpired() {
        return db.execute().createDelete(DELETE_EXPIRED)
                .addParam("now", Rows.utc(clock.instant()))
                .execute();
    }
}
