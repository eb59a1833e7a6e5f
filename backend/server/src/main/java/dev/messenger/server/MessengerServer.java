package dev.messenger.server;

import dev.messenger.messages.MessagesModule;
import dev.messenger.notifications.NotificationsModule;
import dev.messenger.platform.auth.RevocationObserver;
import dev.messenger.platform.auth.SessionCache;
import dev.messenger.platform.auth.SessionRevocationListener;
import dev.messenger.platform.auth.SessionRevocations;
import dev.messenger.platform.auth.Sessions;
import dev.messenger.platform.auth.Tokens;
import dev.messenger.platform.db.Database;
import dev.messenger.platform.embedded.EmbeddedKafka;
import dev.messenger.platform.embedded.EmbeddedPostgresServer;
import dev.messenger.platform.helidon.UnreadableRequestInterceptor;
import dev.messenger.platform.helidon.UnreadableRequestLogFilter;
import dev.messenger.platform.kafka.KafkaSettings;
import dev.messenger.platform.kafka.Topics;
import dev.messenger.platform.rest.RestErrors;
import dev.messenger.platform.service.MessengerService;
import dev.messenger.platform.service.Platform;
import dev.messenger.users.UsersModule;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.protobuf.services.HealthStatusManager;
import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.metrics.api.Metrics;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.grpc.GrpcRouting;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The messenger backend in one process: infrastructure (external or embedded), the configured
 * services, and one Helidon WebServer serving REST, gRPC, OpenAPI, health and metrics on one port.
 */
public final class MessengerServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MessengerServer.class.getName());
    static final List<String> ALL_SERVICES = List.of("users", "messages", "notifications");

    private final WebServer webServer;
    private final List<MessengerService> services;
    private final DbClient db;
    private final Optional<EmbeddedPostgresServer> embeddedPostgres;
    private final Optional<EmbeddedKafka> embeddedKafka;
    private final HealthStatusManager grpcHealth;
    private final SessionRevocationListener revocations;
    /** Held so that JUL keeps its filter (it forgets the settings of loggers nobody references). */
    private final Logger helidonGrpcLog;
    private volatile boolean closed;

    private MessengerServer(WebServer webServer, List<MessengerService> services, DbClient db,
                            SessionRevocationListener revocations, Optional<EmbeddedPostgresServer> embeddedPostgres, Optional<EmbeddedKafka> embeddedKafka,
                            HealthStatusManager grpcHealth, Logger helidonGrpcLog) {
        this.webServer = webServer;
        this.services = services;
        this.db = db;
        this.embeddedPostgres = embeddedPostgres;
        this.embeddedKafka = embeddedKafka;
        this.grpcHealth = grpcHealth;
        this.revocations = revocations;
        this.helidonGrpcLog = helidonGrpcLog;
    }

    /** Starts everything, or stops whatever had started and throws: a failed start leaves no process behind. */
    public static MessengerServer start(Config config) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            return start(config, started);
        } catch (RuntimeException | Error e) {
            for (AutoCloseable resource : started.reversed()) {
                try {
                    resource.close();
                } catch (Exception closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            throw e;
        }
    }

    private static MessengerServer start(Config config, List<AutoCloseable> started) {
        Path dataDir = dataDir(config);
        Set<String> enabled = enabledServices(config);

        Optional<EmbeddedPostgresServer> embeddedPostgres = Optional.empty();
        Database.Coordinates coordinates;
        Optional<Database.Coordinates> external = externalDatabase(config);
        if (external.isPresent()) {
            coordinates = external.get();
        } else {
            EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"),
                    dataDir.resolve("runtime"), config.get("db.embedded.port").asInt().orElse(0),
                    config.get("db.embedded.durable").asBoolean().orElse(true));
            started.add(postgres);
            embeddedPostgres = Optional.of(postgres);
            coordinates = new Database.Coordinates(postgres.jdbcUrl(), postgres.username(), "");
        }

        Optional<EmbeddedKafka> embeddedKafka = Optional.empty();
        String bootstrap = config.get("kafka.bootstrap.servers").asString().orElse("");
        if (bootstrap.isBlank()) {
            EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), config.get("kafka.embedded.port").asInt().orElse(0));
            started.add(kafka);
            embeddedKafka = Optional.of(kafka);
            bootstrap = kafka.bootstrapServers();
        }
        KafkaSettings kafka = new KafkaSettings(bootstrap,
                config.get("kafka.topic").asString().orElse("messenger.message-sent.v1"),
                config.get("kafka.partitions").asInt().orElse(6),
                config.get("kafka.client").detach().asMap().orElse(java.util.Map.of()));

        if (config.get("db.migrate").asBoolean().orElse(true)) {
            Database.migrate(coordinates);
        }
        DbClient db = Database.connect(config.get("db"), coordinates);
        started.add(db);
        Clock clock = Clock.systemUTC();
        SessionCache sessionCache = new SessionCache(
                config.get("auth.session-cache.max-age").as(Duration.class).orElse(Duration.ofMinutes(1)),
                config.get("auth.session-cache.max-entries").asInt().orElse(100_000));
        SessionRevocations sessionRevocations = new SessionRevocations(db, clock);
        // The cache is used only while the listener tells it it hears every revocation; left out, it never is.
        List<RevocationObserver> observers = config.get("auth.session-cache.enabled").asBoolean().orElse(true)
                ? List.of(sessionCache, sessionRevocations)
                : List.of(sessionRevocations);
        SessionRevocationListener revocations = new SessionRevocationListener(coordinates, observers);
        started.add(revocations);
        revocations.start();
        Sessions sessions = new Sessions(db, new Tokens(new SecureRandom()),
                config.get("auth.token-ttl").as(Duration.class).orElse(Duration.ofDays(30)), clock, sessionCache,
                sessionRevocations);
        Platform platform = new Platform(config, db, sessions, kafka, clock, Metrics.globalRegistry());

        Thread.ofVirtual().name("ensure-topic").start(() -> {
            if (!Topics.ensure(kafka, 30_000)) {
                LOG.warning("Could not create or find topic " + kafka.messageEventsTopic() + " yet; will keep trying to use it");
            }
        });

        List<MessengerService> services = new ArrayList<>();
        if (enabled.contains("users")) {
            services.add(new UsersModule(platform));
        }
        if (enabled.contains("messages")) {
            services.add(new MessagesModule(platform));
        }
        if (enabled.contains("notifications")) {
            services.add(new NotificationsModule(platform));
        }
        started.addAll(services);

        Logger helidonGrpcLog = UnreadableRequestLogFilter.install();
        HealthStatusManager grpcHealth = new HealthStatusManager();
        GrpcRouting.Builder grpc = GrpcRouting.builder()
                .intercept(new UnreadableRequestInterceptor())
                .service(grpcHealth.getHealthService());
        services.forEach(service -> service.grpcServices().forEach(grpc::service));

        HttpRouting.Builder http = HttpRouting.builder();
        RestErrors.register(http);
        services.forEach(service -> http.register(service.restRoutes()));

        WebServer webServer = WebServer.builder()
                .config(config.get("server"))
                // Our own shutdown hook stops the server in the order that loses nothing (see close()).
                .shutdownHook(false)
                // Helidon defect 4 (ARCHITECTURE.md): Nagle's algorithm is on by default, which adds
                // ~40 ms to sequential small calls.
                .connectionOptions(options -> options.tcpNoDelay(true))
                // Requests Helidon rejects before routing (e.g. over max-payload-size) get problem+json too.
                .directHandlers(RestErrors.directHandlers())
                .addFeature(ObserveFeature.just(
                        HealthObserver.builder()
                                .details(true)
                                .addCheck(new DatabaseHealthCheck(db, Duration.ofSeconds(5)))
                                .build(),
                        MetricsObserver.create()))
                .addFeature(OpenApiFeature.create(config.get("openapi")))
                .addRouting(http)
                .addRouting(grpc)
                .build()
                .start();
        started.add(webServer::stop);

        services.forEach(MessengerService::start);
        grpcHealth.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
        MessengerServer server = new MessengerServer(webServer, List.copyOf(services), db, revocations, embeddedPostgres,
                embeddedKafka, grpcHealth, helidonGrpcLog);
        server.announce(dataDir, coordinates, kafka);
        return server;
    }

    /**
     * The {@code migrate} mode: applies the migrations to the configured (external) database and
     * returns, starting nothing else. A deployment runs it once before services that have
     * {@code db.migrate=false}.
     */
    public static void migrate(Config config) {
        Database.Coordinates coordinates = externalDatabase(config).orElseThrow(() -> new IllegalArgumentException(
                "messenger.mode=migrate needs db.connection.url (DB_CONNECTION_URL): there is no embedded database to migrate"));
        LOG.info(() -> "Migrating " + coordinates.url());
        Database.migrate(coordinates);
    }

    /** The database from db.connection.*, or empty when the embedded one is to be used. */
    private static Optional<Database.Coordinates> externalDatabase(Config config) {
        return config.get("db.connection.url").asString().filter(url -> !url.isBlank())
                .map(url -> new Database.Coordinates(url,
                        config.get("db.connection.username").asString().orElse("messenger"),
                        config.get("db.connection.password").asString().orElse("")));
    }

    private void announce(Path dataDir, Database.Coordinates coordinates, KafkaSettings kafka) {
        String base = "http://localhost:" + webServer.port();
        LOG.info(() -> String.join(System.lineSeparator(),
                "Messenger is up: services " + services.stream().map(MessengerService::name).toList(),
                "  REST + gRPC (HTTP/2, plaintext) " + base,
                "  OpenAPI      " + base + "/openapi",
                "  Health       " + base + "/observe/health",
                "  Metrics      " + base + "/observe/metrics",
                "  PostgreSQL   " + (embeddedPostgres.isPresent() ? "embedded, " : "") + coordinates.url(),
                "  Kafka        " + (embeddedKafka.isPresent() ? "embedded, " : "") + kafka.bootstrapServers(),
                "  Data dir     " + (embeddedPostgres.isPresent() || embeddedKafka.isPresent() ? dataDir : "(not used)")));
    }

    private static Path dataDir(Config config) {
        return config.get("messenger.home").asString()
                .filter(dir -> !dir.isBlank())
                .map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".messenger"))
                .toAbsolutePath();
    }

    private static Set<String> enabledServices(Config config) {
        Config node = config.get("messenger.services");
        // A list in YAML, or "users,messages" from an environment variable.
        List<String> names = node.isLeaf()
                ? java.util.Arrays.stream(node.asString().get().split(",")).map(String::strip).filter(name -> !name.isEmpty()).toList()
                : node.asList(String.class).orElse(ALL_SERVICES);
        for (String name : names) {
            if (!ALL_SERVICES.contains(name)) {
                throw new IllegalArgumentException("Unknown service '" + name + "' in messenger.services; known: " + ALL_SERVICES);
            }
        }
        return Set.copyOf(names);
    }

    public int port() {
        return webServer.port();
    }

    /** The services running in this process, for tests. */
    public List<MessengerService> services() {
        return services;
    }

    /**
     * Stops in the order that loses nothing: end live feeds, let in-flight requests finish while the
     * server stops, stop background workers, then the database pool and the embedded servers.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("Messenger is stopping");
        grpcHealth.enterTerminalState();
        for (MessengerService service : services) {
            runQuietly("end the live calls of " + service.name(), service::endLongLivedCalls);
        }
        runQuietly("stop web server", webServer::stop);
        for (MessengerService service : services.reversed()) {
            runQuietly("stop " + service.name(), service::close);
        }
        runQuietly("stop listening for session revocations", revocations::close);
        runQuietly("close database pool", db::close);
        embeddedKafka.ifPresent(kafka -> runQuietly("stop embedded Kafka", kafka::close));
        embeddedPostgres.ifPresent(postgres -> runQuietly("stop embedded PostgreSQL", postgres::close));
        LOG.info("Messenger stopped");
    }

    private static void runQuietly(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not " + what, e);
        }
    }
}
