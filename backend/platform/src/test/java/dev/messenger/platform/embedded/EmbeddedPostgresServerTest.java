package dev.messenger.platform.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded PostgreSQL holds every message: only our server, with the password, gets in. */
class EmbeddedPostgresServerTest {
    private static final Path RUNTIME = Path.of(System.getProperty("java.io.tmpdir"), "messenger-test-runtime");

    @TempDir
    Path home;

    @Test
    void connectionsNeedTheGeneratedPasswordWhichIsKeptPrivateAndReusedAcrossRestarts() throws Exception {
        Path dataDir = home.resolve("postgres");
        String password;
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, RUNTIME, 0, false)) {
            password = postgres.password();
            assertTrue(password.length() >= 32, "a generated password");
            assertEquals(1, selectOne(postgres.jdbcUrl(), postgres.username(), password));
            SQLException noPassword = assertThrows(SQLException.class, () -> selectOne(postgres.jdbcUrl(), postgres.username(), ""));
            assertTrue(noPassword.getMessage().contains("SCRAM"), noPassword.getMessage());
            SQLException wrong = assertThrows(SQLException.class, () -> selectOne(postgres.jdbcUrl(), postgres.username(), "wrong"));
            assertEquals("28P01", wrong.getSQLState(), "password authentication failed: " + wrong.getMessage());
            // Another local user name gets no further (trust would have let any in).
            assertThrows(SQLException.class, () -> selectOne(postgres.jdbcUrl().replace("user=postgres", "user=mallory"), "mallory", ""));
        }
        Path passwordFile = EmbeddedPostgresServer.passwordFile(dataDir);
        assertEquals(password, Files.readString(passwordFile));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));

        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(dataDir, RUNTIME, 0, false)) {
            assertEquals(password, again.password(), "the same password after a restart");
            assertEquals(1, selectOne(again.jdbcUrl(), again.username(), password));
        }
    }

    @Test
    void aDataDirectoryWithoutAPasswordGetsOneAtTheNextStart() throws Exception {
        Path dataDir = home.resolve("postgres");
        String first;
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, RUNTIME, 0, false)) {
            first = postgres.password();
        }
        // As a data directory of an earlier version (trust, no password file) would be.
        Files.delete(EmbeddedPostgresServer.passwordFile(dataDir));
        try (EmbeddedPostgresServer upgraded = EmbeddedPostgresServer.start(dataDir, RUNTIME, 0, false)) {
            assertNotEquals(first, upgraded.password());
            assertEquals(1, selectOne(upgraded.jdbcUrl(), upgraded.username(), upgraded.password()));
            assertThrows(SQLException.class, () -> selectOne(upgraded.jdbcUrl(), upgraded.username(), first));
            assertThrows(SQLException.class, () -> selectOne(upgraded.jdbcUrl(), upgraded.username(), ""));
        }
    }

    private static int selectOne(String url, String user, String password) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
