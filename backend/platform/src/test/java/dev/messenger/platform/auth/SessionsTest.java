package dev.messenger.platform.auth;

import dev.messenger.platform.db.Database;
import dev.messenger.platform.embedded.EmbeddedPostgresServer;
import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.limits.ClientAddress;
import dev.messenger.platform.errors.ErrorKind;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Sessions against a real PostgreSQL with the real schema, each test's Sessions with a session cache
 * that hears revocations the way a server's does; two Sessions over one database stand for two
 * server instances.
 */
class SessionsTest {
    @TempDir
    static Path dataDir;
    static EmbeddedPostgresServer postgres;
    static Database.Coordinates coordinates;
    static DbClient db;
    private final List<SessionRevocationListener> listeners = new ArrayList<>();

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
        coordinates = new Database.Coordinates(postgres.jdbcUrl(), postgres.username(), postgres.password());
        Database.migrate(coordinates);
        db = Database.connect(Config.just(ConfigSources.create(Map.of())), coordinates);
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
        postgres.close();
    }

    @AfterEach
    void stopListeners() {
        listeners.forEach(SessionRevocationListener::close);
    }

    /** Sessions as a server instance has them: a cache, and a listener that keeps it sound. */
    private Sessions sessions(Clock clock) {
        return sessions(clock, new SessionCache(Duration.ofMinutes(1), 1000));
    }

    private Sessions sessions(Clock clock, SessionCache cache) {
        SessionRevocations revocations = new SessionRevocations(db, clock);
        SessionRevocationListener listener = new SessionRevocationListener(coordinates, List.of(cache, revocations));
        listeners.add(listener);
        listener.start();
        awaitTrue(cache::listening, "the cache's listener is listening");
        return new Sessions(db, new Tokens(new SecureRandom()), Duration.ofHours(1), clock, cache, revocations);
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
        var sessions = sessions(clock);
        UUID user = newUser();
        IssuedToken token = sessions.open(user, "test device", ClientAddress.LOCAL);
        assertEquals(now.plus(Duration.ofHours(1)), token.expiresAt());
        assertEquals(user, sessions.authenticate("Bearer " + token.token(), ClientAddress.LOCAL).userId());

        now = now.plus(Duration.ofMinutes(61));
        ApiException expired = assertThrows(ApiException.class, () -> sessions.authenticate("Bearer " + token.token(), ClientAddress.LOCAL));
        assertEquals(ErrorKind.UNAUTHENTICATED, expired.kind());
    }

    @Test
    void closingASessionRevokesOnlyThatToken() {
        var sessions = sessions(clock);
        UUID user = newUser();
        IssuedToken laptop = sessions.open(user, "test device", ClientAddress.LOCAL);
        IssuedToken phone = sessions.open(user, "test device", ClientAddress.LOCAL);
        Caller laptopCaller = sessions.authenticate("Bearer " + laptop.token(), ClientAddress.LOCAL);

        sessions.close(laptopCaller);

        assertThrows(ApiException.class, () -> sessions.authenticate("Bearer " + laptop.token(), ClientAddress.LOCAL));
        assertEquals(user, sessions.authenticate("Bearer " + phone.token(), ClientAddress.LOCAL).userId());
    }

    @Test
    void unknownAndMalformedTokensAreUnauthenticated() {
        var sessions = sessions(clock);
        String unknown = new Tokens(new SecureRandom()).newToken();
        for (String header : new String[]{null, "", "Bearer " + unknown, "Bearer nonsense", "Basic abc"}) {
            ApiException e = assertThrows(ApiException.class, () -> sessions.authenticate(header, ClientAddress.LOCAL));
            assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
        }
    }

    @Test
    void purgeRemovesOnlyExpiredSessions() {
        var sessions = sessions(clock);
        UUID user = newUser();
        sessions.open(user, "test device", ClientAddress.LOCAL);
        now = now.plus(Duration.ofMinutes(30));
        IssuedToken later = sessions.open(user, "test device", ClientAddress.LOCAL);
        now = now.plus(Duration.ofMinutes(45));

        long purged = sessions.purgeExpired();

        assertTrue(purged >= 1, "this test's expired session (other tests' sessions may expire too)");
        assertEquals(1L, sessionsOf(user), "the unexpired session stays");
        assertEquals(user, sessions.authenticate("Bearer " + later.token(), ClientAddress.LOCAL).userId());
    }

    @Test
    void aLogoutOnOneServerIsRefusedByTheOthersAtOnce() {
        SessionCache cacheA = new SessionCache(Duration.ofMinutes(1), 1000);
        SessionCache cacheB = new SessionCache(Duration.ofMinutes(1), 1000);
        Sessions serverA = sessions(Clock.systemUTC(), cacheA);
        Sessions serverB = sessions(Clock.systemUTC(), cacheB);
        UUID user = newUser();
        IssuedToken token = serverA.open(user, "test device", ClientAddress.LOCAL);
        String header = "Bearer " + token.token();
        Caller caller = serverA.authenticate(header, ClientAddress.LOCAL);
        assertEquals(caller, serverB.authenticate(header, ClientAddress.LOCAL));
        assertEquals(1, cacheB.size(), "server B answers from its cache now");

        serverA.close(caller);

        assertThrows(ApiException.class, () -> serverA.authenticate(header, ClientAddress.LOCAL));
        long refusedAfter = awaitTrue(() -> refused(serverB, header), "server B refuses the revoked token");
        assertEquals(0, cacheB.size());
        System.out.printf("[session cache] another server refused a revoked token %d ms after the logout%n", refusedAfter);
    }

    @Test
    void aSessionDeletedInTheDatabaseByAnyoneStopsWorkingEverywhere() {
        SessionCache cache = new SessionCache(Duration.ofMinutes(1), 1000);
        Sessions server = sessions(Clock.systemUTC(), cache);
        UUID user = newUser();
        String header = "Bearer " + server.open(user, "test device", ClientAddress.LOCAL).token();
        server.authenticate(header, ClientAddress.LOCAL);
        assertEquals(1, cache.size());

        // An operator's statement, not a logout: the schema's trigger announces it.
        db.execute().createDelete("DELETE FROM sessions WHERE user_id = CAST(:user AS uuid)").addParam("user", user).execute();

        awaitTrue(() -> refused(server, header), "the deleted session is refused");
    }

    @Test
    void whileRevocationsCannotBeHeardTheCacheIsNotUsedAndItRecovers() {
        SessionCache cache = new SessionCache(Duration.ofMinutes(1), 1000);
        Sessions server = sessions(Clock.systemUTC(), cache);
        Sessions other = sessions(Clock.systemUTC());
        UUID user = newUser();
        String header = "Bearer " + server.open(user, "test device", ClientAddress.LOCAL).token();
        server.authenticate(header, ClientAddress.LOCAL);
        assertEquals(1, cache.size());

        long terminated = db.execute().createGet("""
                        SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = :name""")
                .addParam("name", SessionRevocationListener.APPLICATION_NAME)
                .execute()
                .map(row -> ((Number) row.column("n").get()).longValue())
                .orElseThrow();
        assertEquals(2, terminated, "both listeners' connections");

        // The listener notices, forgets everything, reconnects and listens again.
        awaitTrue(() -> cache.size() == 0 && cache.listening() && listenerConnections() == 2, "the listeners are back");
        server.authenticate(header, ClientAddress.LOCAL);
        assertEquals(1, cache.size(), "cached again once listening");
        other.close(other.authenticate(header, ClientAddress.LOCAL));
        awaitTrue(() -> refused(server, header), "revocations are heard again after the reconnect");
    }

    @Test
    void aWatchedSessionEndsWhenItIsRevokedOnAnyServer() throws Exception {
        Sessions serverA = sessions(Clock.systemUTC());
        Sessions serverB = sessions(Clock.systemUTC());
        UUID user = newUser();
        Caller onA = serverA.authenticate("Bearer " + serverA.open(user, "test device", ClientAddress.LOCAL).token(), ClientAddress.LOCAL);
        Caller other = serverA.authenticate("Bearer " + serverA.open(user, "test device", ClientAddress.LOCAL).token(), ClientAddress.LOCAL);
        CountDownLatch ended = new CountDownLatch(1);
        AtomicInteger otherEnded = new AtomicInteger();
        try (AutoCloseable watching = serverB.watch(onA, ended::countDown);
             AutoCloseable watchingOther = serverB.watch(other, otherEnded::incrementAndGet)) {
            long start = System.nanoTime();
            serverA.close(onA);
            assertTrue(ended.await(1, TimeUnit.SECONDS), "server B's watcher heard the logout on server A");
            System.out.printf("[revocations] a watcher on another server ended %.1f ms after the logout%n", (System.nanoTime() - start) / 1e6);
            assertEquals(0, otherEnded.get(), "the user's other session goes on");
        }
    }

    @Test
    void watchingASessionRevokedJustBeforeEndsAtOnce() throws Exception {
        Sessions server = sessions(Clock.systemUTC());
        Caller caller = server.authenticate("Bearer " + server.open(newUser(), "test device", ClientAddress.LOCAL).token(), ClientAddress.LOCAL);
        server.close(caller);
        // A feed that authenticated just before the logout starts watching just after it.
        CountDownLatch ended = new CountDownLatch(1);
        try (AutoCloseable watching = server.watch(caller, ended::countDown)) {
            assertTrue(ended.await(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void aRevocationMadeWhileNotListeningIsFoundWhenListeningAgain() throws Exception {
        SessionCache cache = new SessionCache(Duration.ofMinutes(1), 1000);
        Sessions server = sessions(Clock.systemUTC(), cache);
        UUID user = newUser();
        Caller caller = server.authenticate("Bearer " + server.open(user, "test device", ClientAddress.LOCAL).token(), ClientAddress.LOCAL);
        CountDownLatch ended = new CountDownLatch(1);
        try (AutoCloseable watching = server.watch(caller, ended::countDown)) {
            // The listener's connection goes, and while it is away the session is deleted: its
            // notification is lost. Checking the watched sessions after reconnecting finds it.
            db.execute().createGet("""
                            SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = :name""")
                    .addParam("name", SessionRevocationListener.APPLICATION_NAME)
                    .execute();
            awaitTrue(() -> !cache.listening(), "the listener noticed");
            db.execute().createDelete("DELETE FROM sessions WHERE user_id = CAST(:user AS uuid)").addParam("user", user).execute();
            assertTrue(ended.await(10, TimeUnit.SECONDS), "the watcher ended once the listener was back");
        }
    }

    private static long listenerConnections() {
        return db.execute().createGet("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = :name")
                .addParam("name", SessionRevocationListener.APPLICATION_NAME)
                .execute()
                .map(row -> ((Number) row.column("n").get()).longValue())
                .orElseThrow();
    }

    private static boolean refused(Sessions sessions, String header) {
        try {
            sessions.authenticate(header, ClientAddress.LOCAL);
            return false;
        } catch (ApiException e) {
            assertEquals(ErrorKind.UNAUTHENTICATED, e.kind());
            return true;
        }
    }

    /** Waits up to 5 s; returns the ms it took. */
    private static long awaitTrue(BooleanSupplier condition, String what) {
        long started = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - started > Duration.ofSeconds(5).toNanos()) {
                fail("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    private long sessionsOf(UUID user) {
        return db.execute().createGet("SELECT count(*) AS n FROM sessions WHERE user_id = CAST(:user AS uuid)")
                .addParam("user", user)
                .execute()
                .map(row -> ((Number) row.column("n").get()).longValue())
                .orElseThrow();
    }
}
