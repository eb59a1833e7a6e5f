package dev.messenger.users;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@code maxFailures} failed logins for one username within
 * {@code window}, further attempts are refused until the oldest failure leaves the window.
 * Kept in memory per server instance: a restart forgets it, which only helps a guesser briefly.
 */
final class LoginThrottle {
    private static final int MAX_TRACKED_USERNAMES = 100_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final ConcurrentHashMap<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    boolean isBlocked(String usernameKey) {
        Deque<Instant> recent = failures.get(usernameKey);
        if (recent == null) {
            return false;
        }
        synchronized (recent) {
            dropExpired(recent, clock.instant());
            return recent.size() >= maxFailures;
        }
    }

    void recordFailure(String usernameKey) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_TRACKED_USERNAMES) {
            failures.values().removeIf(recent -> {
                synchronized (recent) {
                    dropExpired(recent, now);
                    return recent.isEmpty();
                }
            });
        }
        Deque<Instant> recent = failures.computeIfAbsent(usernameKey, key -> new ArrayDeque<>());
        synchronized (recent) {
            dropExpired(recent, now);
            recent.addLast(now);
        }
    }

    void recordSuccess(String usernameKey) {
        failures.remove(usernameKey);
    }

    private void dropExpired(Deque<Instant> recent, Instant now) {
        Instant cutoff = now.minus(window);
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(cutoff)) {
            recent.removeFirst();
        }
    }
}
