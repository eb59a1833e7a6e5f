package dev.messenger.platform.limits;

import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.ErrorKind;
import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final RateLimits limits = new RateLimits(true, 1000, nanos::get, Metrics.globalRegistry());
    private final ClientAddress home = new ClientAddress(InetAddress.getLoopbackAddress());

    @Test
    void aBurstThenTheRefillRateThenARefusalThatSaysWhenToRetry() {
        RateLimit limit = limits.limit("test-send", Optional.empty(), Optional.of(new Rate(3, 2, Duration.ofSeconds(1))));
        UUID user = UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            assertDoesNotThrow(() -> limit.check(home, user));
        }
        ApiException refused = assertThrows(ApiException.class, () -> limit.check(home, user));
        assertEquals(ErrorKind.RESOURCE_EXHAUSTED, refused.kind());
        assertEquals(Optional.of(Duration.ofMillis(500)), refused.retryAfter(), "one token every 500 ms");
        assertTrue(refused.getMessage().contains("test-send"), refused.getMessage());

        nanos.addAndGet(Duration.ofMillis(499).toNanos());
        assertEquals(Optional.of(Duration.ofMillis(1)), assertThrows(ApiException.class, () -> limit.check(home, user)).retryAfter());
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertDoesNotThrow(() -> limit.check(home, user));
        assertDoesNotThrow(() -> limit.check(home, UUID.randomUUID()), "another account has its own bucket");
    }

    @Test
    void theAddressLimitCountsAllAccountsOfOneAddress() {
        RateLimit limit = limits.limit("test-search", Optional.of(new Rate(2, 1, Duration.ofMinutes(1))),
                Optional.of(new Rate(100, 100, Duration.ofSeconds(1))));
        limit.check(home, UUID.randomUUID());
        limit.check(home, UUID.randomUUID());
        assertThrows(ApiException.class, () -> limit.check(home, UUID.randomUUID()));
        assertThrows(ApiException.class, () -> limit.check(home));
    }

    @Test
    void switchedOffEveryLimitAllowsEverything() {
        RateLimits off = new RateLimits(false, 1000, nanos::get, Metrics.globalRegistry());
        RateLimit limit = off.limit("test-off", Optional.of(new Rate(1, 1, Duration.ofHours(1))), Optional.of(new Rate(1, 1, Duration.ofHours(1))));
        UUID user = UUID.randomUUID();
        for (int i = 0; i < 100; i++) {
            limit.check(home, user);
        }
    }

    @Test
    void memoryStaysBoundedUnderAFloodOfKeys() {
        RateLimiter limiter = new RateLimiter(new Rate(1, 1, Duration.ofHours(1)), 1000, nanos::get);
        for (int i = 0; i < 100_000; i++) {
            assertTrue(limiter.take("key-" + i).taken());
            assertTrue(limiter.trackedKeys() <= 1000, "tracked " + limiter.trackedKeys());
        }
        // Refilled buckets are forgotten first: they behave exactly like new ones.
        RateLimiter refilling = new RateLimiter(new Rate(1, 1, Duration.ofMillis(1)), 10, nanos::get);
        for (int i = 0; i < 10; i++) {
            refilling.take("old-" + i);
        }
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        refilling.take("new");
        assertEquals(1, refilling.trackedKeys());
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndNeverZero() {
        assertEquals(1, RetryAfter.seconds(Duration.ofMillis(1)));
        assertEquals(1, RetryAfter.seconds(Duration.ZERO));
        assertEquals(2, RetryAfter.seconds(Duration.ofMillis(1001)));
        assertEquals(900, RetryAfter.seconds(Duration.ofMinutes(15)));
    }

    @Test
    void ratesMustMakeSense() {
        assertThrows(IllegalArgumentException.class, () -> new Rate(0, 1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Rate(1, 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Rate(1, 1, Duration.ZERO));
    }
}
