package dev.messenger.notifications;

import dev.messenger.platform.limits.Rate;
import io.helidon.config.Config;

import java.time.Duration;

/**
 * The notifications service's settings, read once from the {@code notifications} node. The
 * defaults live in application.yaml only; a missing key is a start-up error that names it.
 */
record NotificationsSettings(Duration heartbeatInterval, int maxFeedsPerUser, Rate subscribePerAccount,
                             Rate subscribePerAddress, Rate pollPerAccount, Rate pollPerAddress) {

    static NotificationsSettings from(Config notifications) {
        Config limits = notifications.get("rate-limits");
        return new NotificationsSettings(
                notifications.get("heartbeat-interval").as(Duration.class).get(),
                notifications.get("max-feeds-per-user").asInt().get(),
                Rate.from(limits.get("subscribe.per-account")),
                Rate.from(limits.get("subscribe.per-address")),
                Rate.from(limits.get("poll.per-account")),
                Rate.from(limits.get("poll.per-address")));
    }
}
