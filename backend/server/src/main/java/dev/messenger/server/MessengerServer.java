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
import dev.messenger.platform.helidon.CallLimitInterceptor;
import dev.messenger.platform.helidon.UnreadableRequestInterceptor;
import dev.messenger.platform.helidon.UnreadableRequestLogFilter;
import dev.messenger.platform.kafka.KafkaSettings;
import dev.messenger.platform.kafka.Topics;
import dev.messenger.platform.limits.RateLimits;
import dev.messenger.platform.rest.RestErrors;
import dev.messenger.platform.service.MessengerService;
import dev.messenger.platform.service.Platform;
import dev.messenger.users.UsersModule;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.protobuf.services.HealthStatusManager;
import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.grpc.GrpcRouting;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

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

    private final WebServer webServer;
    private final List<MessengerService> services;
    private final DbClient db;
    private final Infrastructure infrastructure;
    private final Optional<ServerTls> tls;
    private final HealthStatusManager grpcHealth;
    private final SessionRevocationListener revocations;
    /** Held so that JUL keeps its filter (it forgets the settings of loggers nobody references). */
    private final Logger helidonGrpcLog;
    private volatile boolean closed;

    private MessengerServer(WebServer webServer, List<MessengerService> services, DbClient db,
                            SessionRevocationListener revocations, Infrastructure infrastructure, Optional<ServerTls> tls,
                            HealthStatusManager grpcHealth, Logger helidonGrpcLog) {
        this.webServer = webServer;
        this.services = services;
        this.db = db;
        this.infrastructure = infrastructure;
        this.tls = tls;
        this.grpcHealth = grpcHealth;
        this.revocations = revocations;
        this.helidonGrpcLog = helidonGrpcLog;
    }

    /** Starts everything, or stops whatever had started and throws: a failed start leaves no process behind. */
    public static MessengerServer start(Config config) {
        StartedSoFar started = new StartedSoFar();
        try {
            return start(config, started);
        } catch (RuntimeException e) {
            throw started.stopAfter(e);
        } catch (Error e) {
            throw started.stopAfter(e);
        }
    }

    private static MessengerServer start(Config config, StartedSoFar started) {
        ServerSettings settings = ServerSettings.from(config);
        Infrastructure infrastructure = Infrastructure.start(settings.infrastructure());
        started.add(infrastructure);
        Database.Coordinates coordinates = infrastructure.database();
        KafkaSettings kafka = infrastructure.kafka();

        if (settings.migrate()) {
            Database.migrate(coordinates);
        }
        DbClient db = Database.connect(config.get("db"), coordinates);
        started.add(db);
        Clock clock = Clock.systemUTC();
        SessionCache sessionCache = new SessionCache(settings.sessionCacheMaxAge(), settings.sessionCacheMaxEntries());
        SessionRevocations sessionRevocations = new SessionRevocations(db, clock);
        // The cache is used only while the listener tells it it hears every revocation; left out, it never is.
        List<RevocationObserver> observers = settings.sessionCacheEnabled()
                ? List.of(sessionCache, sessionRevocations)
                : List.of(sessionRevocations);
        SessionRevocationListener revocations = new SessionRevocationListener(coordinates, observers);
        started.add(revocations);
        revocations.start();
        Sessions sessions = new Sessions(db, new Tokens(new SecureRandom()), settings.tokenTtl(), clock, sessionCache,
                sessionRevocations);
        MeterRegistry metrics = Metrics.globalRegistry();
        Platform platform = new Platform(config, db, sessions, kafka, clock, metrics, settings.trustedProxies(),
                new RateLimits(settings.rateLimitsEnabled(), settings.rateLimitsMaxTrackedKeys(), System::nanoTime, metrics));

        Thread.ofVirtual().name("ensure-topic").start(() -> {
            if (!Topics.ensure(kafka, 30_000)) {
                LOG.warning("Could not create or find topic " + kafka.messageEventsTopic() + " yet; will keep trying to use it");
            }
        });

        Set<String> enabled = settings.services();
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
        CallLimitInterceptor callLimit = new CallLimitInterceptor(settings.maxConcurrentCalls());
        metrics.getOrCreate(Gauge.builder("messenger.grpc.calls.in_flight", callLimit, CallLimitInterceptor::inFlight)
                .description("Unary gRPC calls being served (at most messenger.max-concurrent-calls)"));
        GrpcRouting.Builder grpc = GrpcRouting.builder()
                .intercept(callLimit)
                .intercept(new UnreadableRequestInterceptor())
                .service(grpcHealth.getHealthService());
        services.forEach(service -> service.grpcServices().forEach(grpc::service));

        HttpRouting.Builder http = HttpRouting.builder();
        RestErrors.register(http);
        services.forEach(service -> http.register(service.restRoutes()));

        Optional<ServerTls> tls = ServerTls.of(settings.tls());
        tls.ifPresent(started::add);
        WebServerConfig.Builder webServerBuilder = WebServer.builder()
                .config(config.get("server"))
                .host(settings.host())
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
                .addRouting(grpc);
        tls.ifPresent(serverTls -> webServerBuilder.tls(serverTls.initial()));
        WebServer webServer = webServerBuilder.build().start();
        started.add(webServer::stop);
        tls.ifPresent(serverTls -> serverTls.reloadInto(webServer));
        if (settings.plaintextBeyondLoopback()) {
            LOG.warning("Listening on " + settings.host() + " without TLS: passwords, tokens and messages cross the network"
                    + " in clear. Set messenger.tls.certificate and messenger.tls.private-key, or put a TLS gateway in front"
                    + " and listen on loopback or a private network only.");
        }

        services.forEach(MessengerService::start);
        grpcHealth.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
        MessengerServer server = new MessengerServer(webServer, List.copyOf(services), db, revocations, infrastructure,
                tls, grpcHealth, helidonGrpcLog);
        server.announce();
        return server;
    }

    /**
     * The {@code migrate} mode: applies the migrations to the configured (external) database and
     * returns, starting nothing else. A deployment runs it once before services that have
     * {@code db.migrate=false}.
     */
    public static void migrate(Config config) {
        Database.Coordinates coordinates = Infrastructure.Settings.from(config).externalDatabase().orElseThrow(() -> new IllegalArgumentException(
                "messenger.mode=migrate needs db.connection.url (DB_CONNECTION_URL): there is no embedded database to migrate"));
        LOG.info(() -> "Migrating " + coordinates.url());
        Database.migrate(coordinates);
    }

    private void announce() {
        String base = (tls.isPresent() ? "https" : "http") + "://localhost:" + webServer.port();
        List<String> lines = new ArrayList<>(List.of(
                "Messenger is up: services " + services.stream().map(MessengerService::name).toList(),
                "  REST + gRPC (HTTP/2, " + (tls.isPresent() ? "TLS" : "plaintext") + ") " + base,
                "  OpenAPI      " + base + "/openapi",
                "  Health       " + base + "/observe/health",
                "  Metrics      " + base + "/observe/metrics"));
        lines.addAll(infrastructure.describe());
        LOG.info(() -> String.join(System.lineSeparator(), lines));
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
        tls.ifPresent(serverTls -> runQuietly("stop watching the TLS files", serverTls::close));
        for (MessengerService service : services.reversed()) {
            runQuietly("stop " + service.name(), service::close);
        }
        runQuietly("stop listening for session revocations", revocations::close);
        runQuietly("close database pool", db::close);
        infrastructure.close();
        LOG.info("Messenger stopped");
    }

    /** Runs one step of a shutdown: a failure is logged, and the steps after it still run. */
    static void runQuietly(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not " + what, e);
        }
    }
}
