package dev.messenger.server;

import io.helidon.dbclient.DbClient;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Readiness: the database answers {@code SELECT 1} within the timeout. The query runs on a thread of
 * its own, so a hung database (or a pool with no free connection) makes the check DOWN after the
 * timeout instead of holding the health endpoint.
 */
final class DatabaseHealthCheck implements HealthCheck {
    private final DbClient db;
    private final Duration timeout;

    DatabaseHealthCheck(DbClient db, Duration timeout) {
        this.db = db;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public HealthCheckResponse call() {
        CompletableFuture<Long> ping = new CompletableFuture<>();
        Thread.ofVirtual().name("database-health").start(() -> {
            try (var rows = db.execute().query("SELECT 1")) {
                ping.complete(rows.count());
            } catch (RuntimeException e) {
                ping.completeExceptionally(e);
            }
        });
        try {
            ping.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return HealthCheckResponse.builder().status(true).build();
        } catch (TimeoutException e) {
            return down("no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return down(String.valueOf(e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted");
        }
    }

    private static HealthCheckResponse down(String reason) {
        return HealthCheckResponse.builder().status(false).detail("error", reason).build();
    }
}
