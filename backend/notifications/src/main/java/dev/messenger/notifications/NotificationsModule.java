package dev.messenger.notifications;

import dev.messenger.platform.grpc.GrpcServices;
import dev.messenger.platform.limits.RateLimits;
import dev.messenger.platform.service.MessengerService;
import dev.messenger.platform.service.Platform;
import io.grpc.ServerServiceDefinition;
import io.helidon.metrics.api.Gauge;
import io.helidon.webserver.http.HttpService;

import java.util.UUID;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The notifications service: Kafka consumer and live feeds. Configured under {@code notifications}. */
public final class NotificationsModule implements MessengerService {
    private final Subscriptions subscriptions;
    private final MessageEventConsumer consumer;
    private final ServerServiceDefinition grpc;
    private final HttpService rest;

    public NotificationsModule(Platform platform) {
        NotificationsSettings settings = NotificationsSettings.from(platform.config().get("notifications"));
        var hub = new FeedHub();
        var repository = new FeedRepository(platform.db());
        RateLimits rateLimits = platform.rateLimits();
        this.subscriptions = new Subscriptions(hub, repository, platform.sessions(), settings.heartbeatInterval(),
                settings.maxFeedsPerUser(), platform.clock(),
                rateLimits.limit("subscribe", Optional.of(settings.subscribePerAddress()), Optional.of(settings.subscribePerAccount())));
        this.consumer = new MessageEventConsumer(platform.kafka(), hub);
        platform.metrics().getOrCreate(Gauge.builder("messenger.feeds.open", subscriptions, Subscriptions::openFeeds)
                .description("Live Subscribe streams on this instance"));
        this.grpc = GrpcServices.bind(new NotificationsGrpcService(subscriptions), platform, Set.of());
        var longPoll = new LongPoll(hub, repository, platform.sessions(), subscriptions, platform.clock(),
                rateLimits.limit("poll", Optional.of(settings.pollPerAddress()), Optional.of(settings.pollPerAccount())));
        this.rest = new NotificationsRestService(longPoll, platform.restAuth());
    }

    @Override
    public String name() {
        return "notifications";
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
        consumer.start();
    }

    /** Live feeds opened on this instance, for tests and metrics. */
    public int openFeeds() {
        return subscriptions.openFeeds();
    }

    /** Live feeds of one user on this instance (what the per-user cap counts). */
    public int openFeeds(UUID userId) {
        return subscriptions.openFeeds(userId);
    }

    @Override
    public void endLongLivedCalls() {
        subscriptions.close();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
