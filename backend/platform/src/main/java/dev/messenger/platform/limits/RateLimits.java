package dev.messenger.platform.limits;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;

import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Makes each service's {@link RateLimit}s from its settings, all with the same bound on tracked
 * keys and the same metric ({@code messenger.rate_limited}, by operation). Switched off, every limit
 * allows everything (for load tests that measure the server rather than the limits).
 */
public final class RateLimits {
    private final boolean enabled;
    private final int maxTrackedKeys;
    private final LongSupplier nanoTime;
    private final MeterRegistry metrics;

    public RateLimits(boolean enabled, int maxTrackedKeys, LongSupplier nanoTime, MeterRegistry metrics) {
        this.enabled = enabled;
        this.maxTrackedKeys = maxTrackedKeys;
        this.nanoTime = nanoTime;
        this.metrics = metrics;
    }

    public RateLimit limit(String operation, Optional<Rate> perAddress, Optional<Rate> perAccount) {
        Counter refused = metrics.getOrCreate(Counter.builder("messenger.rate_limited")
                .tags(List.of(Tag.create("operation", operation)))
                .description("Requests refused by a rate limit"));
        return new RateLimit(operation,
                perAddress.filter(rate -> enabled).map(rate -> new RateLimiter(rate, maxTrackedKeys, nanoTime)),
                perAccount.filter(rate -> enabled).map(rate -> new RateLimiter(rate, maxTrackedKeys, nanoTime)),
                refused);
    }
}
