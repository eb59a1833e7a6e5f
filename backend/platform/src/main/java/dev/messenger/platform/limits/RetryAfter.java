package dev.messenger.platform.limits;

import java.time.Duration;

/** How a wait is told to clients: whole seconds, as HTTP's {@code Retry-After} has it. */
public final class RetryAfter {
    private RetryAfter() {
    }

    /** Rounded up, and at least 1: a client told "0" would retry at once and be refused again. */
    public static long seconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
