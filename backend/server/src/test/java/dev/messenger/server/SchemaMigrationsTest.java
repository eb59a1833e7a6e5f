package dev.messenger.server;

import dev.messenger.messages.DirectConversation;
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
import java.util.ArrayList;
import java.util.List;
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
        String url = databaseAt(backend, "2");

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

    @Test
    void directConversationsOfVersionFourBecomeConversationsWithMembersAndKeepTheirCounts(TestBackend backend) throws Exception {
        String url = databaseAt(backend, "4");
        // Ids on both sides of the sign bit: PostgreSQL orders uuids unsigned, Java's compareTo signed.
        UUID ann = UUID.fromString("f0000000-0000-4000-8000-00000000000a");
        UUID bob = UUID.fromString("10000000-0000-4000-8000-00000000000b");
        UUID cat = UUID.fromString("20000000-0000-4000-8000-00000000000c");
        try (Connection db = DriverManager.getConnection(url, backend.dbUsername(), backend.dbPassword());
             Statement statement = db.createStatement()) {
            statement.executeUpdate("""
                    INSERT INTO users (id, username, display_name, password_hash) VALUES
                        ('%s', 'ann', 'Ann', 'h'), ('%s', 'bob', 'Bob', 'h'), ('%s', 'cat', 'Cat', 'h')""".formatted(ann, bob, cat));
            statement.executeUpdate("""
                    INSERT INTO messages (id, sender_id, recipient_id, body, sent_at) OVERRIDING SYSTEM VALUE VALUES
                        (1, '%1$s', '%2$s', 'hi Bob', timestamptz '2026-01-01 10:00Z'),
                        (2, '%2$s', '%1$s', 'hi Ann', timestamptz '2026-01-01 10:01Z'),
                        (3, '%2$s', '%1$s', 'still there?', timestamptz '2026-01-01 10:02Z'),
                        (4, '%1$s', '%3$s', 'hi Cat', timestamptz '2026-01-02 09:00Z')""".formatted(ann, bob, cat));
            // As version four's sends left them: Ann read Bob's first reply only.
            statement.executeUpdate("""
                    INSERT INTO conversations (owner_id, peer_id, last_message_id, unread_count, last_read_message_id) VALUES
                        ('%1$s', '%2$s', 3, 1, 2), ('%2$s', '%1$s', 3, 0, 3), ('%1$s', '%3$s', 4, 0, 4), ('%3$s', '%1$s', 4, 1, 0)"""
                    .formatted(ann, bob, cat));
        }

        Database.migrate(new Database.Coordinates(url, backend.dbUsername(), backend.dbPassword()));

        UUID annAndBob = DirectConversation.id(ann, bob);
        UUID annAndCat = DirectConversation.id(cat, ann);
        try (Connection db = DriverManager.getConnection(url, backend.dbUsername(), backend.dbPassword());
             Statement statement = db.createStatement()) {
            assertEquals(List.of(annAndBob + " direct 2 2026-01-01T10:00:00Z", annAndCat + " direct 2 2026-01-02T09:00:00Z"),
                    rows(statement, """
                            SELECT id || ' ' || kind || ' ' || member_count || ' '
                                   || to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                            FROM conversations ORDER BY created_at"""),
                    "one direct conversation per pair, with the id the server computes, opened by its first message");
            assertEquals(List.of("1 " + annAndBob, "2 " + annAndBob, "3 " + annAndBob, "4 " + annAndCat),
                    rows(statement, "SELECT id || ' ' || conversation_id FROM messages ORDER BY id"));
            assertEquals(List.of(
                            annAndBob + " ann bob 3 1 2 member", annAndBob + " bob ann 3 0 3 member",
                            annAndCat + " ann cat 4 0 4 member", annAndCat + " cat ann 4 1 0 member"),
                    rows(statement, """
                            SELECT c.conversation_id || ' ' || u.username || ' ' || p.username || ' ' || c.last_message_id || ' '
                                   || c.unread_count || ' ' || c.last_read_message_id || ' ' || c.role
                            FROM conversation_members c JOIN users u ON u.id = c.user_id JOIN users p ON p.id = c.peer_id
                            ORDER BY c.last_message_id, c.conversation_id, u.username"""),
                    "every member row keeps its counts");
            SQLException twice = assertThrows(SQLException.class, () -> statement.executeUpdate("""
                    INSERT INTO conversation_members (conversation_id, user_id, peer_id, last_message_id)
                    VALUES ('%s', '%s', '%s', 4)""".formatted(annAndCat, ann, bob)));
            assertEquals("23505", twice.getSQLState(), "one direct conversation per user and peer");
        }
    }

    private static List<String> rows(Statement statement, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }

    /** A new database migrated up to (and including) the given version, as an earlier release left it. */
    private static String databaseAt(TestBackend backend, String version) throws SQLException {
        String database = "migrations_" + Long.toString(System.nanoTime(), 36);
        try (Connection admin = backend.jdbc(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        String url = backend.jdbcUrl().replaceFirst("/postgres(\\?|$)", "/" + database + "$1");
        Flyway.configure().dataSource(url, backend.dbUsername(), backend.dbPassword())
                .locations("classpath:db/migrations").target(version).load().migrate();
        return url;
    }
}
