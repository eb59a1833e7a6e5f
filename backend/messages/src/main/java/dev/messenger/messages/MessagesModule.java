package dev.messenger.messages;

import dev.messenger.platform.grpc.GrpcServices;
import dev.messenger.platform.service.MessengerService;
import dev.messenger.platform.service.Platform;
import io.grpc.ServerServiceDefinition;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Gauge;
import io.helidon.webserver.http.HttpService;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The messages service: sending, history, conversations, and the outbox relay. Configured under {@code messages}. */
public final class MessagesModule implements MessengerService {
    private final OutboxRelay relay;
    private final SendBatcher sends;
    private final ServerServiceDefinition grpc;
    private final HttpService rest;

    public MessagesModule(Platform platform) {
        MessagesSettings settings = MessagesSettings.from(platform.config().get("messages"));
        this.relay = new OutboxRelay(platform.db(), platform.kafka(), settings.outboxPollInterval(), settings.outboxGather());
        Counter sent = platform.metrics().getOrCreate(Counter.builder("messenger.messages.sent")
                .description("Messages accepted and stored (retries of an earlier message not counted)"));
        DistributionSummary batchSizes = platform.metrics().getOrCreate(DistributionSummary.builder("messenger.messages.send.batch")
                .description("Sends stored per transaction (group commit)"));
        var repository = new MessageRepository(platform.db(), platform.kafka().messageEventsTopic());
        this.sends = new SendBatcher(repository::store,
                stored -> {
                    if (stored > 0) {
                        sent.increment(stored);
                        batchSizes.record(stored);
                        relay.wakeUp();
                    }
                },
                settings.sendWriters(), settings.sendMaxBatch(), settings.sendMaxWaiting());
        platform.metrics().getOrCreate(Gauge.builder("messenger.messages.send.waiting", sends, SendBatcher::waiting)
                .description("Sends queued for the next group commit (refused as UNAVAILABLE beyond messages.send.max-waiting)"));
        var sendLimit = platform.rateLimits().limit("send", Optional.of(settings.sendPerAddress()), Optional.of(settings.sendPerAccount()));
        var conversations = new ConversationRepository(platform.db(), platform.kafka().messageEventsTopic());
        var service = new MessageService(repository, conversations, sends, sendLimit, settings.groupMaxMembers());
        this.grpc = GrpcServices.bind(new MessagesGrpcService(service), platform, Set.of());
        this.rest = new MessagesRestService(service, platform.restAuth());
    }

    @Override
    public String name() {
        return "messages";
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
        relay.start();
        sends.start();
    }

    @Override
    public void close() {
        sends.close();
        relay.close();
    }
}
