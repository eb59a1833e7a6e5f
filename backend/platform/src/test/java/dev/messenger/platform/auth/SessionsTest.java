package dev.messenger.platform.auth;

import dev.messenger.platform.db.Database;
import dev.messenger.platform.embedded.EmbeddedPostgresServer;
import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.ErrorKind;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions against a real PostgreSQL with the real schema. */
class SessionsTest {
    @TempDir
    static Path dataDir;
    static EmbeddedPostgresServer postgres;
    static DbClient db;

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @BeforeAll
    static void startDatabase() {
        postgres = EmbeddedPostgresServer.start(dataDir.resolve("pg"),
                Path.of(System.getProperty("java.io.tmpdir"), "messenger-test-runtime"), 0, false);
        var coordinates = new Database.Coordinates(postgres.jdbcUrl(), postgres.username(), "");
        Database.migrate(coordinates);
        db = Database.connect(Config.just(ConfigSources.create(Map.of())), coordinates);
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
        postgres.close();
    }

    private UUID newUser() {
        UUID id = UUID.randomUUID();
        db.execute().createInsert("""
                        INSERT INTO users (id, username, display_name, password_hash)
                        VALUES (CAST(:id AS uuid), :name, :name, 'x')""")
                .addParam("id", id)
                .addParam("name", "u" + id.toString().substring(0, 8))
                .execute();
        return id;
    }

    @Test
    void aTokenAuthenticatesItsUserUntilItExpires() {
        var sessions = new Sessions(db, new Tokens(new SecureRandom()), Duration.ofHours(1), clock);
        UUID user = newUser();
        IssuedToken token = sessions.open(user);
        assertEquals(now.plus(Duration.ofHours(1)), token.expiresAt());
        assertEquals(user, sessions.authenticate("Bearer " + token.token()).userId());

        now = now.plus(Duration.ofMinutes(61));
        ApiException expired = assertThrows(ApiException.class, () -> sessions.authenticate("Bearer " + token.token()));
        assertEquals(ErrorKind.UNAUTHENTICATED, expired.kind());
    }

    @Test
    void closingASessionRevokesOnlyThatToken() {
        var sessions = new Sessions(db, new Tokens(new SecureRandom()), Duration.ofHours(1), clock);
        UUID user = newUser();
        IssuedToken laptop = sessions.open(user);
        IssuedToken phone = sessions.open(user);
        Caller laptopCaller = sessions.authenticate("Bearer " + laptop.token());

        sessions.close(laptopCaller);

        assertThrows(ApiException.class, () -> sessions.authenticate("Bearer " + laptop.token()));
        assertEquals(user, sessions.authenticate("Bearer " + phone.token()).userId());
    }

    @Test
    void unknownAndMalformedTokensAreUnauthenticated() {
        var sessions = new Sessions(db, new Tokens(new SecureRandom()), Duration.ofHours(1), clock);
        String unknown = new Tokens(new SecureRandom()).newToken();
        for (String header : new String[]{null, "", "Bearer " + unknown, "Bearer nonsense", "Basic abc"}) {
            ApiException e = assertThrows(ApiException.class, () -> sessions.authenticate(header));
            assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
        }
    }

    @Test
    void purgeRemovesOnlyExpiredSessions() {
        var sessions = new Sessions(db, new Tokens(new SecureRandom()), Duration.ofHours(1), clock);
        UUID user = newUser();
        sessions.open(user);
        now = now.plus(Duration.ofMinutes(30));
        IssuedToken later = sessions.open(user);
        now = now.plus(Duration.ofMinutes(45));

        long purged = sessions.purgeExpired();

        assertTrue(purged >= 1, "this test's expired session (other tests' sessions may expire too)");
        assertEquals(1L, sessionsOf(user), "the unexpired session stays");
        assertEquals(user, sessions.authenticate("Bearer " + later.token()).userId());
    }

    private long sessionsOf(UUID user) {
        return db.execute().createGet("SELECT count(*) AS n FROM sessions WHERE user_id = CAST(:user AS uuid)")
                .addParam("user", user)
                .execute()
                .map(row -> ((Number) row.column("n").get()).longValue())
                .orElseThrow();
    }
}
