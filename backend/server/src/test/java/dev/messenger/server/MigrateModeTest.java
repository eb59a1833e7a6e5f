package dev.messenger.server;

import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.TestBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** messenger.mode=migrate: migrates the configured database and nothing else (docker-compose.yml's migrate step). */
@ExtendWith(BackendExtension.class)
class MigrateModeTest {
    @Test
    void migratesAnEmptyDatabaseIdempotentlyWithoutKafka(TestBackend backend) throws Exception {
        String database = "migrate_mode_" + Long.toString(System.nanoTime(), 36);
        try (Connection admin = backend.jdbc(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        String url = backend.jdbcUrl().replaceFirst("/postgres(\\?|$)", "/" + database + "$1");
        // An unreachable Kafka and an occupied port: the mode must touch neither.
        var config = backend.config(Map.of(
                "messenger.mode", "migrate",
                "db.connection.url", url,
                "kafka.bootstrap.servers", "127.0.0.1:1",
                "server.port", String.valueOf(backend.port())));

        assertEquals(0, Main.migrate(config));
        assertEquals(0, Main.migrate(config), "a second run finds nothing to do");

        try (Connection db = DriverManager.getConnection(url, backend.dbUsername(), backend.dbPassword());
             Statement statement = db.createStatement();
             ResultSet tables = statement.executeQuery(
                     "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'flyway_schema_history'");
             Statement failed = db.createStatement()) {
            assertTrue(tables.next() && tables.getInt(1) == 1, "flyway_schema_history exists");
            try (ResultSet rows = failed.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE NOT success")) {
                assertTrue(rows.next() && rows.getInt(1) == 0, "every migration succeeded");
            }
        }
    }

    @Test
    void refusesWithoutAnExternalDatabase(TestBackend backend) {
        var config = backend.config(Map.of("messenger.mode", "migrate", "db.connection.url", ""));
        assertEquals(1, Main.migrate(config));
    }
}
