package dev.messenger.users;

import dev.messenger.platform.limits.ClientAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    private final LoginThrottle throttle = new LoginThrottle(
            new LoginThrottle.Settings(3, Duration.ofSeconds(1), Duration.ofSeconds(10)), clock);
    private final ClientAddress attacker = address("203.0.113.7");
    private final ClientAddress owner = address("198.51.100.20");

    @Test
    void freeFailuresCostNothingThenDelaysDoubleUpToTheMaximum() {
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure("alice", attacker);
            assertEquals(Optional.empty(), throttle.wait("alice", attacker), "failure " + (i + 1) + " is free");
        }
        Duration[] expected = {Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(10), Duration.ofSeconds(10)};
        for (Duration delay : expected) {
            throttle.recordFailure("alice", attacker);
            assertEquals(Optional.of(delay), throttle.wait("alice", attacker));
            now = now.plus(delay).minusMillis(1);
            assertEquals(Optional.of(Duration.ofMillis(1)), throttle.wait("alice", attacker), "still waiting just before the end");
            now = now.plusMillis(1);
            assertEquals(Optional.empty(), throttle.wait("alice", attacker), "may try again once the delay has passed");
        }
    }

    @Test
    void aGuesserElsewhereDoesNotSlowTheOwner() {
        for (int i = 0; i < 20; i++) {
            throttle.recordFailure("alice", attacker);
        }
        assertEquals(Optional.of(Duration.ofSeconds(10)), throttle.wait("alice", attacker));
        assertEquals(Optional.empty(), throttle.wait("alice", owner));
        assertEquals(Optional.empty(), throttle.wait("bob", attacker), "other usernames are counted apart");
    }

    @Test
    void aSuccessClearsTheCountOfThatAddress() {
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure("alice", owner);
        }
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.wait("alice", owner));
        now = now.plusSeconds(1);
        throttle.recordSuccess("alice", owner);
        throttle.recordFailure("alice", owner);
        assertEquals(Optional.empty(), throttle.wait("alice", owner), "counting starts again after a success");
    }

    @Test
    void aCountIsForgottenADayAfterItsLastFailure() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("alice", attacker);
        }
        now = now.plus(LoginThrottle.FORGET_AFTER).plusSeconds(1);
        throttle.recordFailure("alice", attacker);
        assertEquals(Optional.empty(), throttle.wait("alice", attacker), "the first failure of a new count is free");
    }

    @Test
    void ipv6AddressesOfOneSubnetShareACount() {
        ClientAddress first = address("2001:db8:1:2::1");
        ClientAddress second = address("2001:db8:1:2:ffff::9");
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure("alice", i % 2 == 0 ? first : second);
        }
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.wait("alice", second));
        assertEquals(Optional.empty(), throttle.wait("alice", address("2001:db8:1:3::1")), "another /64 is another key");
    }

    private static ClientAddress address(String literal) {
        try {
            return new ClientAddress(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
