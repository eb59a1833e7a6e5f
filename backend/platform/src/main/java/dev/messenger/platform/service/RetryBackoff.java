package dev.messenger.platform.service;

import java.time.Duration;

/**
 * The wait between attempts at something that keeps failing (a broker, a database connection):
 * doubling from {@code first} up to {@code max}, back to {@code first} after a success. For the one
 * thread that retries.
 */
public final class RetryBackoff {
    private final Duration first;
    private final Duration max;
    private Duration next;

    public RetryBackoff(Duration first, Duration max) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("need 0 < first <= max");
        }
        this.first = first;
        this.max = max;
        this.next = first;
    }

    /** The wait the next {@link #pause()} takes. */
    public Duration next() {
        return next;
    }

    public void reset() {
        next = first;
    }

    /** Sleeps the current wait and doubles the next one; an interrupt ends the sleep early and stays set. */
    public void pause() {
        try {
            Thread.sleep(next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
    }
}
