package dev.messenger.messages;

import dev.messenger.platform.limits.Rate;
import io.helidon.config.Config;

import java.time.Duration;

/**
 * The messages service's settings, read once from the {@code messages} node. The defaults live in
 * application.yaml only; a missing key is a start-up error that names it.
 */
record MessagesSettings(Duration outboxPollInterval, Duration outboxGather, int sendWriters, int sendMaxBatch,
                        int sendMaxWaiting, int groupMaxMembers, Rate sendPerAccount, Rate sendPerAddress) {

    static MessagesSettings from(Config messages) {
        Config outbox = messages.get("outbox");
        Config send = messages.get("send");
        Config limits = messages.get("rate-limits.send");
        return new MessagesSettings(
                outbox.get("poll-interval").as(Duration.class).get(),
                outbox.get("gather").as(Duration.class).get(),
                send.get("writers").asInt().get(),
                send.get("max-batch").asInt().get(),
                send.get("max-waiting").asInt().get(),
                messages.get("groups.max-members").asInt().get(),
                Rate.from(limits.get("per-account")),
                Rate.from(limits.get("per-address")));
    }
}
