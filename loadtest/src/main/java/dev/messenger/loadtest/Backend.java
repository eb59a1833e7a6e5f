package dev.messenger.loadtest;

import dev.messenger.platform.embedded.EmbeddedKafka;
import dev.messenger.platform.embedded.EmbeddedPostgresServer;
import dev.messenger.server.MessengerServer;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The backend under test: a running server given by address, or one started here with its own
 * embedded PostgreSQL and Kafka (whose addresses the baselines then use).
 */
final class Backend implements AutoCloseable {
    private final String target;
    private final Optional<String> jdbcUrl;
    private final String jdbcUser;
    private final String jdbcPassword;
    private final Optional<String> kafka;
    private final AutoCloseable[] owned;

    private Backend(String target, Optional<String> jdbcUrl, String jdbcUser, String jdbcPassword, Optional<String> kafka,
                    AutoCloseable... owned) {
        this.target = target;
        this.jdbcUrl = jdbcUrl;
        this.jdbcUser = jdbcUser;
        this.jdbcPassword = jdbcPassword;
        this.kafka = kafka;
        this.owned = owned;
    }

    static Backend external(String target, String jdbcUrl, String jdbcUser, String jdbcPassword, String kafka) {
        return new Backend(target, Optional.ofNullable(jdbcUrl), jdbcUser, jdbcPassword, Optional.ofNullable(kafka));
    }

    /**
     * Starts PostgreSQL (durable), Kafka and the server in this process, with data under {@code dataDir},
     * or under a new temporary directory that is deleted again on {@link #close()} when it is null.
     *
     * @param settings server settings of the scenario's own (e.g. a cheaper password hash)
     */
    static Backend embedded(Path dataDir, Map<String, String> settings) throws IOException {
        if (dataDir != null) {
            return embeddedIn(dataDir, settings);
        }
        Path temporary = Files.createTempDirectory("messenger-loadtest-");
        return embeddedIn(temporary, settings, () -> deleteRecursively(temporary));
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** @param afterStopping closed after the server, Kafka and PostgreSQL have stopped */
    private static Backend embeddedIn(Path dataDir, Map<String, String> settings, AutoCloseable... afterStopping) {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"),
                dataDir.resolve("runtime"), 0, true);
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), 0);
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.putAll(Map.of(
                "server.port", "0",
                "server.host", "127.0.0.1",
                "db.connection.url", postgres.jdbcUrl(),
                "db.connection.username", postgres.username(),
                "db.connection.password", postgres.password(),
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "messenger.home", dataDir.toString()));
        Config config = Config.builder()
                .sources(ConfigSources.create(all), ConfigSources.classpath("application.yaml"))
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .build();
        MessengerServer server = MessengerServer.start(config);
        AutoCloseable[] owned = Stream.concat(Stream.of(server, kafka, postgres), Stream.of(afterStopping))
                .toArray(AutoCloseable[]::new);
        return new Backend("127.0.0.1:" + server.port(), Optional.of(postgres.jdbcUrl()), postgres.username(), postgres.password(),
                Optional.of(kafka.bootstrapServers()), owned);
    }

    String target() {
        return target;
    }

    Optional<String> jdbcUrl() {
        return jdbcUrl;
    }

    String jdbcUser() {
        return jdbcUser;
    }

    String jdbcPassword() {
        return jdbcPassword;
    }

    Optional<String> kafka() {
        return kafka;
    }

    /** True when the backend runs in this process (started here), false for a server given by address. */
    boolean isEmbedded() {
        return owned.length > 0;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable resource : owned) {
            resource.close();
        }
    }
}
