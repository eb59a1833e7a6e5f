package dev.messenger.platform.service;

import dev.messenger.platform.auth.Sessions;
import dev.messenger.platform.kafka.KafkaSettings;
import dev.messenger.platform.limits.RateLimits;
import dev.messenger.platform.limits.TrustedProxies;
import dev.messenger.platform.rest.RestAuth;
import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.metrics.api.MeterRegistry;

import java.time.Clock;

/**
 * What every service is built from: its configuration and the shared infrastructure.
 *
 * @param metrics        where services register their meters (served at /observe/metrics)
 * @param trustedProxies whose X-Forwarded-For names the client
 * @param rateLimits     makes the services' rate limits
 */
public record Platform(Config config, DbClient db, Sessions sessions, KafkaSettings kafka, Clock clock,
                       MeterRegistry metrics, TrustedProxies trustedProxies, RateLimits rateLimits) {
    /** Who calls a REST route; the gRPC side is {@link dev.messenger.platform.grpc.GrpcServices#bind}. */
    public RestAuth restAuth() {
        return new RestAuth(sessions, trustedProxies);
    }
}
