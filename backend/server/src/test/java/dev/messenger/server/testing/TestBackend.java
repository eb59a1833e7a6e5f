package dev.messenger.server.testing;

import dev.messenger.client.MessengerChannels;
import dev.messenger.platform.embedded.EmbeddedKafka;
import dev.messenger.platform.embedded.EmbeddedPostgresServer;
import dev.messenger.server.MessengerServer;
import io.grpc.ManagedChannel;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The real backend for integration tests: a PostgreSQL and a Kafka broker of the same embedded
 * kinds the product uses (started once per test run), and a MessengerServer configured against
 * them. Kafka is started here rather than by the server so tests can stop and restart it.
 */
public final class TestBackend implements AutoCloseable {
    private final Path dataDir;
    private final EmbeddedPostgresServer postgres;
    private final int kafkaPort;
    private EmbeddedKafka kafka;
    private final MessengerServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestBackend(Path dataDir) {
        this.dataDir = dataDir;
        // fsync off is fine for tests; the product's embedded database keeps it on.
        this.postgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), runtimeDir(), 0, false);
        this.kafkaPort = freePort();
        this.kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), kafkaPort);
        this.server = MessengerServer.start(config(Map.of()));
    }

    public static TestBackend start() {
        try {
            return new TestBackend(Files.createTempDirectory("messenger-test-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The configuration the shared server runs with, plus overrides (for tests that start a server of their own). */
    public Config config(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "server.port", "0",
                "server.host", "127.0.0.1",
                "db.connection.url", postgres.jdbcUrl(),
                "db.connection.username", postgres.username(),
                "db.connection.password", postgres.password(),
                "kafka.bootstrap.servers", "127.0.0.1:" + kafkaPort,
                "users.password-hash.memory-kib", "1024",
                "users.password-hash.iterations", "1",
                "notifications.heartbeat-interval", "PT1S",
                "messages.outbox.poll-interval", "PT0.2S"));
        settings.put("messenger.home", dataDir.toString());
        // Every test client comes from 127.0.0.1, so per-address limits would make the suite's
        // results depend on test order; RateLimitsTest runs a server with them on.
        settings.put("messenger.rate-limits.enabled", "false");
        // Long enough that a test sees the sign-in wait before it is over, whatever the machine's load.
        settings.put("users.login.first-delay", "PT1M");
        settings.putAll(overrides);
        return Config.builder()
                .sources(ConfigSources.create(settings), ConfigSources.classpath("application.yaml"))
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .build();
    }

    public MessengerServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public String target() {
        return "127.0.0.1:" + port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** A new channel configured as every client of ours is; the caller shuts it down. */
    public ManagedChannel newChannel() {
        return MessengerChannels.plaintext(target());
    }

    public HttpClient http() {
        return http;
    }

    /** The JDBC URL of the test PostgreSQL (its user is {@link #dbUsername()}, with {@link #dbPassword()}). */
    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    public String dbUsername() {
        return postgres.username();
    }

    public String dbPassword() {
        return postgres.password();
    }

    /** The test Kafka broker, as host:port. */
    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** A plain JDBC connection to the server's database, for checking what was stored. */
    public Connection jdbc() {
        try {
            return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the Kafka broker; the server keeps running without it. */
    public synchronized void stopKafka() {
        kafka.close();
    }

    /** Starts the broker again on the same address with the same data. */
    public synchronized void startKafka() {
        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), kafkaPort);
    }

    @Override
    public synchronized void close() {
        server.close();
        kafka.close();
        postgres.close();
    }

    private static Path runtimeDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "messenger-test-runtime");
    }

    /** A loopback port nothing listens on now, for servers a test starts itself. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
