package dev.messenger.users;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginThrottleTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void blocksAfterTooManyFailuresUntilTheWindowPasses() {
        var throttle = new LoginThrottle(3, Duration.ofMinutes(15), clock);
        for (int i = 0; i < 3; i++) {
            assertFalse(throttle.isBlocked("alice"));
            throttle.recordFailure("alice");
        }
        assertTrue(throttle.isBlocked("alice"));
        assertFalse(throttle.isBlocked("bob"), "other usernames are unaffected");
        now = now.plus(Duration.ofMinutes(15)).plusSeconds(1);
        assertFalse(throttle.isBlocked("alice"));
    }

    @Test
    void successClearsFailures() {
        var throttle = new LoginThrottle(2, Duration.ofMinutes(15), clock);
        throttle.recordFailure("carol");
        throttle.recordSuccess("carol");
        throttle.recordFailure("carol");
        assertFalse(throttle.isBlocked("carol"));
    }
}
