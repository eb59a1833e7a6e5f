package dev.messenger.server;

import dev.messenger.platform.db.Database;
import dev.messenger.platform.embedded.EmbeddedKafka;
import dev.messenger.platform.embedded.EmbeddedPostgresServer;
import dev.messenger.platform.kafka.KafkaSettings;
import io.helidon.config.Config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PostgreSQL and Kafka the services use: the ones configured ({@code db.connection.url},
 * {@code kafka.bootstrap.servers}), or, where those are empty, embedded ones started here with
 * their data in the data directory (the zero-setup default).
 */
final class Infrastructure implements AutoCloseable {
    /**
     * @param externalDatabase empty: start the embedded PostgreSQL
     * @param kafka            with blank bootstrap servers: start the embedded broker
     */
    record Settings(Path dataDir, Optional<Database.Coordinates> externalDatabase, int embeddedDatabasePort,
                    boolean embeddedDatabaseDurable, KafkaSettings kafka, int embeddedKafkaPort) {

        static Settings from(Config config) {
            Config db = config.get("db");
            Config kafka = config.get("kafka");
            return new Settings(
                    config.get("messenger.home").asString().filter(dir -> !dir.isBlank()).map(Path::of)
                            .orElse(Path.of(System.getProperty("user.home"), ".messenger")).toAbsolutePath(),
                    db.get("connection.url").asString().filter(url -> !url.isBlank())
                            .map(url -> new Database.Coordinates(url, db.get("connection.username").asString().get(),
                                    db.get("connection.password").asString().get())),
                    db.get("embedded.port").asInt().get(),
                    db.get("embedded.durable").asBoolean().get(),
                    new KafkaSettings(kafka.get("bootstrap.servers").asString().get().strip(),
                            kafka.get("topic").asString().get(), kafka.get("partitions").asInt().get(),
                            kafka.get("client").detach().asMap().orElse(Map.of())),
                    kafka.get("embedded.port").asInt().get());
        }
    }

    private final Path dataDir;
    private final Database.Coordinates database;
    private final KafkaSettings kafka;
    private final Optional<EmbeddedPostgresServer> embeddedPostgres;
    private final Optional<EmbeddedKafka> embeddedKafka;

    private Infrastructure(Path dataDir, Database.Coordinates database, KafkaSettings kafka,
                           Optional<EmbeddedPostgresServer> embeddedPostgres, Optional<EmbeddedKafka> embeddedKafka) {
        this.dataDir = dataDir;
        this.database = database;
        this.kafka = kafka;
        this.embeddedPostgres = embeddedPostgres;
        this.embeddedKafka = embeddedKafka;
    }

    /** Starts what is embedded; if a start fails, stops what had started and throws. */
    static Infrastructure start(Settings settings) {
        StartedSoFar started = new StartedSoFar();
        try {
            Optional<EmbeddedPostgresServer> embeddedPostgres = Optional.empty();
            Database.Coordinates database;
            if (settings.externalDatabase().isPresent()) {
                database = settings.externalDatabase().get();
            } else {
                EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(settings.dataDir().resolve("postgres"),
                        settings.dataDir().resolve("runtime"), settings.embeddedDatabasePort(), settings.embeddedDatabaseDurable());
                started.add(postgres);
                embeddedPostgres = Optional.of(postgres);
                database = new Database.Coordinates(postgres.jdbcUrl(), postgres.username(), postgres.password());
            }
            Optional<EmbeddedKafka> embeddedKafka = Optional.empty();
            KafkaSettings kafka = settings.kafka();
            if (kafka.bootstrapServers().isBlank()) {
                EmbeddedKafka broker = EmbeddedKafka.start(settings.dataDir().resolve("kafka"), settings.embeddedKafkaPort());
                started.add(broker);
                embeddedKafka = Optional.of(broker);
                kafka = new KafkaSettings(broker.bootstrapServers(), kafka.messageEventsTopic(), kafka.partitions(),
                        kafka.clientOverrides());
            }
            return new Infrastructure(settings.dataDir(), database, kafka, embeddedPostgres, embeddedKafka);
        } catch (RuntimeException e) {
            throw started.stopAfter(e);
        } catch (Error e) {
            throw started.stopAfter(e);
        }
    }

    Database.Coordinates database() {
        return database;
    }

    KafkaSettings kafka() {
        return kafka;
    }

    /** Lines for the start-up banner. */
    List<String> describe() {
        return List.of(
                "  PostgreSQL   " + (embeddedPostgres.isPresent() ? "embedded, " : "") + database.url(),
                "  Kafka        " + (embeddedKafka.isPresent() ? "embedded, " : "") + kafka.bootstrapServers(),
                "  Data dir     " + (embeddedPostgres.isPresent() || embeddedKafka.isPresent() ? dataDir : "(not used)"));
    }

    /** Stops the embedded servers (Kafka first: it holds nothing the database needs). */
    @Override
    public void close() {
        embeddedKafka.ifPresent(broker -> MessengerServer.runQuietly("stop embedded Kafka", broker::close));
        embeddedPostgres.ifPresent(postgres -> MessengerServer.runQuietly("stop embedded PostgreSQL", postgres::close));
    }
}
