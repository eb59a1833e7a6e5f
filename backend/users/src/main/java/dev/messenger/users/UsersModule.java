package dev.messenger.users;

import dev.messenger.platform.auth.Sessions;
import dev.messenger.platform.grpc.GrpcServices;
import dev.messenger.platform.limits.RateLimits;
import dev.messenger.platform.service.MessengerService;
import dev.messenger.platform.service.Platform;
import io.grpc.ServerServiceDefinition;
import io.helidon.metrics.api.Gauge;
import io.helidon.webserver.http.HttpService;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The users service: registration, sessions, directory. Configured under {@code users}. */
public final class UsersModule implements MessengerService {
    private static final Logger LOG = Logger.getLogger(UsersModule.class.getName());
    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);

    private final Sessions sessions;
    private final ScheduledExecutorService purger = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("users-purge").daemon().factory());
    private final UserService service;
    private final ServerServiceDefinition grpc;
    private final HttpService rest;

    public UsersModule(Platform platform) {
        UsersSettings settings = UsersSettings.from(platform.config().get("users"));
        this.sessions = platform.sessions();
        var hashing = new HashingGate(settings.hashingConcurrent(), settings.hashingWaiting(), settings.hashingMaxWait());
        platform.metrics().getOrCreate(Gauge.builder("messenger.password_hashing.waiting", hashing, HashingGate::waiting)
                .description("Registrations and sign-ins waiting for a password hashing slot"));
        RateLimits rateLimits = platform.rateLimits();
        var limits = new UserService.Limits(
                rateLimits.limit("register", Optional.of(settings.registerPerAddress()), Optional.empty()),
                rateLimits.limit("login", Optional.of(settings.loginPerAddress()), Optional.empty()),
                rateLimits.limit("search", Optional.of(settings.searchPerAddress()), Optional.of(settings.searchPerAccount())));
        this.service = new UserService(new UserRepository(platform.db()), platform.sessions(),
                new PasswordHasher(settings.hashCost(), new SecureRandom()), hashing,
                new LoginThrottle(settings.loginThrottle(), platform.clock()), limits, settings.deletedUsernameQuarantine(),
                platform.clock());
        this.grpc = GrpcServices.bind(new UsersGrpcService(service), platform, UsersGrpcService.PUBLIC_METHODS);
        this.rest = new UsersRestService(service, platform.restAuth());
    }

    @Override
    public String name() {
        return "users";
    }

    @Override
    public List<ServerServiceDefinition> grpcServices() {
        return List.of(grpc);
    }

    @Override
    public HttpService restRoutes() {
        return rest;
    }

    @Override
    public void start() {
        purger.scheduleWithFixedDelay(this::purge, 0, PURGE_INTERVAL.toMinutes(), TimeUnit.MINUTES);
    }

    /** Expired sessions go (they are refused anyway), and deleted accounts' usernames are freed after their quarantine. */
    private void purge() {
        try {
            long purged = sessions.purgeExpired();
            if (purged > 0) {
                LOG.info(() -> "Purged " + purged + " expired sessions");
            }
            long released = service.releaseDeletedUsernames();
            if (released > 0) {
                LOG.info(() -> "Released the usernames of " + released + " deleted accounts");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not purge expired sessions or release usernames; will retry", e);
        }
    }

    @Override
    public void close() {
        purger.shutdownNow();
    }
}
