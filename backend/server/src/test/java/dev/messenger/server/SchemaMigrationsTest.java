package dev.messenger.server;

import dev.messenger.platform.db.Database;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.TestBackend;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Migrations applied to a database that an earlier version filled: existing rows come through intact. */
@ExtendWith(BackendExtension.class)
class SchemaMigrationsTest {
    @Test
    void sessionsAndUsersOfVersionTwoGainDevicesAndDeletionWithTheirDataKept(TestBackend backend) throws Exception {
        String database = "migrations_" + Long.toString(System.nanoTime(), 36);
        try (Connection admin = backend.jdbc(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        String url = backend.jdbcUrl().replaceFirst("/postgres(\\?|$)", "/" + database + "$1");
        Flyway.configure().dataSource(url, backend.dbUsername(), backend.dbPassword())
                .locations("classpath:db/migrations").target("2").load().migrate();

        UUID user = UUID.randomUUID();
        UUID session = UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(url, backend.dbUsername(), backend.dbPassword());
             PreparedStatement insertUser = db.prepareStatement(
                     "INSERT INTO users (id, username, display_name, password_hash) VALUES (?, 'Early_Bird', 'Early', 'hash')");
             PreparedStatement insertSession = db.prepareStatement("""
                     INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at)
                     VALUES (?, '\\x01', ?, timestamptz '2026-01-02 03:04:05Z', now() + interval '1 day')""")) {
            insertUser.setObject(1, user);
            insertUser.executeUpdate();
            insertSession.setObject(1, session);
            insertSession.setObject(2, user);
            insertSession.executeUpdate();
        }

        Database.migrate(new Database.Coordinates(url, backend.dbUsername(), backend.dbPassword()));

        try (Connection db = DriverManager.getConnection(url, backend.dbUsername(), backend.dbPassword());
             Statement statement = db.createStatement()) {
            try (ResultSet row = statement.executeQuery(
                    "SELECT device_name, last_used_at = created_at AS since_created, client_address FROM sessions")) {
                assertTrue(row.next());
                assertEquals("", row.getString("device_name"));
                assertTrue(row.getBoolean("since_created"), "last use starts at the creation time");
                assertEquals(null, row.getString("client_address"));
                assertFalse(row.next());
            }
            try (ResultSet row = statement.executeQuery("SELECT deleted_at, username_released FROM users")) {
                assertTrue(row.next());
                assertEquals(null, row.getObject("deleted_at"));
                assertFalse(row.getBoolean("username_released"));
            }
            // The username is still unique regardless of case, until it is released.
            SQLException taken = assertThrows(SQLException.class, () -> statement.executeUpdate(
                    "INSERT INTO users (id, username, display_name, password_hash) VALUES (gen_random_uuid(), 'early_bird', 'X', 'h')"));
            assertEquals("23505", taken.getSQLState());
            statement.executeUpdate("UPDATE users SET deleted_at = now(), username_released = true");
            assertEquals(1, statement.executeUpdate(
                    "INSERT INTO users (id, username, display_name, password_hash) VALUES (gen_random_uuid(), 'early_bird', 'X', 'h')"));
        }
    }
}
