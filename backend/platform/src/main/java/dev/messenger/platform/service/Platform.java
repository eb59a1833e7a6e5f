package dev.messenger.platform.service;

import dev.messenger.platform.auth.Sessions;
import dev.messenger.platform.kafka.KafkaSettings;
import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.metrics.api.MeterRegistry;

import java.time.Clock;

/**
 * What every service is built from: its configuration and the shared infrastructure.
 *
 * @param metrics where services register their meters (served at /observe/metrics)
 */
public record Platform(Config config, DbClient db, Sessions sessions, KafkaSettings kafka, Clock clock,
                       MeterRegistry metrics) {
}
