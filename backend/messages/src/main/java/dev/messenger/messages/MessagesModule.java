package dev.messenger.messages;

import dev.messenger.platform.grpc.GrpcServices;
import dev.messenger.platform.rest.RestAuth;
import dev.messenger.platform.service.MessengerService;
import dev.messenger.platform.service.Platform;
import io.grpc.ServerServiceDefinition;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.webserver.http.HttpService;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The messages service: sending, history, conversations, and the outbox relay. Configured under {@code messages}. */
public final class MessagesModule implements MessengerService {
    private final OutboxRelay relay;
    private final SendBatcher sends;
    private final ServerServiceDefinition grpc;
    private final HttpService rest;

    public MessagesModule(Platform platform) {
        var config = platform.config().get("messages");
        this.relay = new OutboxRelay(platform.db(), platform.kafka(),
                config.get("outbox.poll-interval").as(Duration.class).orElse(Duration.ofSeconds(1)),
                config.get("outbox.gather").as(Duration.class).orElse(Duration.ofMillis(5)));
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
                config.get("send.writers").asInt().orElse(2),
                config.get("send.max-batch").asInt().orElse(128),
                config.get("send.max-waiting").asInt().orElse(10_000));
        var service = new MessageService(repository, sends);
        this.grpc = GrpcServices.bind(new MessagesGrpcService(service), platform.sessions(), Set.of());
        this.rest = new MessagesRestService(service, new RestAuth(platform.sessions()));
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
