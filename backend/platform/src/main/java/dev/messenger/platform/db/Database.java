package dev.messenger.platform.db;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import org.flywaydb.core.Flyway;

import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/** Connects to PostgreSQL through helidon-dbclient (JDBC + Hikari) after bringing the schema up to date. */
public final class Database {
    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    private Database() {
    }

    /** JDBC coordinates of the database to use. */
    public record Coordinates(String url, String username, String password) {
        @Override
        public String toString() {
            return "Coordinates[url=" + url + ", username=" + username + "]";
        }
    }

    /** Applies the migrations in {@code db/migrations} (the schema's one source of truth). */
    public static void migrate(Coordinates coordinates) {
        var result = Flyway.configure()
                .dataSource(coordinates.url(), coordinates.username(), coordinates.password())
                .locations("classpath:db/migrations")
                .load()
                .migrate();
        LOG.info(() -> "Database schema at version " + result.targetSchemaVersion
                + " (" + result.migrationsExecuted + " migrations applied now)");
    }

    /**
     * @param dbConfig the {@code db} configuration node; its {@code connection} keys other than the
     *                 coordinates are Hikari pool settings
     */
    public static DbClient connect(Config dbConfig, Coordinates coordinates) {
        Map<String, String> settings = new HashMap<>();
        dbConfig.detach().asMap().ifPresent(settings::putAll);
        settings.put("source", "jdbc");
        settings.put("connection.url", coordinates.url());
        settings.put("connection.username", coordinates.username());
        settings.put("connection.password", coordinates.password());
        settings.putIfAbsent("connection.maximumPoolSize", "20");
        settings.putIfAbsent("connection.poolName", "messenger");
        Config effective = Config.just(ConfigSources.create(settings));
        return DbClient.create(effective);
    }
}
