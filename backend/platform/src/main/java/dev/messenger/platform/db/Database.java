package dev.messenger.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.jdbc.CloseableJdbcConnectionPool;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Logger;

/** Connects to PostgreSQL through helidon-dbclient (JDBC, HikariCP pool) after bringing the schema up to date. */
public final class Database {
    private static final Logger LOG = Logger.getLogger(Database.class.getName());
    /** Keys of {@code db.connection} that are the coordinates, not pool settings. */
    private static final Set<String> COORDINATE_KEYS = Set.of("url", "username", "password");

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
     * Opens a HikariCP pool and a helidon-dbclient over it; closing the client closes the pool.
     * The pool is wired here rather than found from configuration: Helidon 4.5.0 ships no Hikari
     * provider (helidon-dbclient-hikari is not published for it).
     *
     * @param dbConfig the {@code db} configuration node; its {@code connection} keys other than the
     *                 coordinates are HikariCP settings (e.g. {@code maximumPoolSize})
     */
    public static DbClient connect(Config dbConfig, Coordinates coordinates) {
        Properties poolSettings = new Properties();
        poolSettings.setProperty("maximumPoolSize", "20");
        poolSettings.setProperty("poolName", "messenger");
        dbConfig.get("connection").detach().asMap().ifPresent(settings -> settings.forEach((key, value) -> {
            if (!COORDINATE_KEYS.contains(key)) {
                poolSettings.setProperty(key, value);
            }
        }));
        HikariConfig hikari = new HikariConfig(poolSettings);
        hikari.setJdbcUrl(coordinates.url());
        hikari.setUsername(coordinates.username());
        hikari.setPassword(coordinates.password());
        HikariPool pool = new HikariPool(new HikariDataSource(hikari));
        return JdbcClientBuilder.create()
                .url(coordinates.url())
                .connectionPool(pool)
                .build();
    }

    /** The pool as helidon-dbclient sees it. */
    private record HikariPool(HikariDataSource dataSource) implements CloseableJdbcConnectionPool {
        @Override
        public Connection connection() {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException("Could not get a database connection: " + e.getMessage(), e);
            }
        }

        @Override
        public String dbType() {
            return "postgresql";
        }

        @Override
        public void close() {
            dataSource.close();
        }
    }
}
