package dev.messenger.users;

import dev.messenger.platform.limits.BoundedKeys;
import dev.messenger.platform.limits.ClientAddress;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing without letting anyone lock an owner out: wrong passwords are counted per
 * username <em>and client address</em>. After {@code freeFailures} of them, each further one makes
 * that address wait before its next try, {@code firstDelay} doubling up to {@code maxDelay}. The
 * owner signing in from elsewhere is not slowed at all; a success from an address clears its count.
 * A count is forgotten a day after its last failure. Kept in memory per server instance, at most
 * {@value #MAX_TRACKED} counts (the per-address sign-in rate limit bounds what one address can try
 * across usernames).
 */
final class LoginThrottle {
    static final int MAX_TRACKED = 100_000;
    static final Duration FORGET_AFTER = Duration.ofDays(1);

    record Settings(int freeFailures, Duration firstDelay, Duration maxDelay) {
        Settings {
            if (freeFailures < 0 || firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0) {
                throw new IllegalArgumentException("users.login: free-failures >= 0 and 0 < first-delay <= max-delay");
            }
        }
    }

    private static final class Failures {
        int count;
        Instant last;
        Instant retryAt;
    }

    private final Settings settings;
    private final Clock clock;
    private final Map<String, Failures> byKey = new ConcurrentHashMap<>();

    LoginThrottle(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Empty when this address may try this username now; otherwise how long it must wait. */
    Optional<Duration> wait(String usernameKey, ClientAddress from) {
        Failures failures = byKey.get(key(usernameKey, from));
        if (failures == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        synchronized (failures) {
            return failures.retryAt != null && failures.retryAt.isAfter(now)
                    ? Optional.of(Duration.between(now, failures.retryAt))
                    : Optional.empty();
        }
    }

    void recordFailure(String usernameKey, ClientAddress from) {
        Instant now = clock.instant();
        if (byKey.size() >= MAX_TRACKED) {
            // Counts forgotten arbitrarily (more addresses guessing at once than we track) start
            // again at their next failure, rather than memory growing without bound.
            BoundedKeys.makeRoom(byKey, MAX_TRACKED, failures -> {
                synchronized (failures) {
                    return failures.last != null && failures.last.plus(FORGET_AFTER).isBefore(now);
                }
            });
        }
        Failures failures = byKey.computeIfAbsent(key(usernameKey, from), k -> new Failures());
        synchronized (failures) {
            if (failures.last != null && failures.last.plus(FORGET_AFTER).isBefore(now)) {
                failures.count = 0;
            }
            failures.count++;
            failures.last = now;
            int beyondFree = failures.count - settings.freeFailures();
            if (beyondFree > 0) {
                failures.retryAt = now.plus(delay(beyondFree));
            }
        }
    }

    void recordSuccess(String usernameKey, ClientAddress from) {
        byKey.remove(key(usernameKey, from));
    }

    /** The wait after the n-th failure beyond the free ones: first-delay, doubling, at most max-delay. */
    Duration delay(int beyondFree) {
        Duration delay = settings.firstDelay();
        for (int i = 1; i < beyondFree && delay.compareTo(settings.maxDelay()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(settings.maxDelay()) < 0 ? delay : settings.maxDelay();
    }

    private static String key(String usernameKey, ClientAddress from) {
        return usernameKey + ' ' + from.limitKey();
    }
}
