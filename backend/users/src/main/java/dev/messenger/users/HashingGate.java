package dev.messenger.users;

import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.ErrorKind;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds password hashing, which every register and every sign-in does (unknown users included)
 * at 19 MiB and tens of milliseconds of a core each: at most {@code concurrent} hashes run at once,
 * at most {@code waiting} more wait, each no longer than {@code maxWait}; beyond that the caller
 * gets RESOURCE_EXHAUSTED (429) at once. A flood of sign-ins then costs a bounded amount of memory
 * and leaves cores for everything else.
 */
final class HashingGate {
    private final Semaphore running;
    private final Semaphore admitted;
    private final Duration maxWait;

    HashingGate(int concurrent, int waiting, Duration maxWait) {
        if (concurrent < 1 || waiting < 0 || maxWait.isNegative()) {
            throw new IllegalArgumentException("concurrent must be positive, waiting and maxWait not negative");
        }
        this.running = new Semaphore(concurrent, true);
        this.admitted = new Semaphore(concurrent + waiting);
        this.maxWait = maxWait;
    }

    <T> T run(Supplier<T> hashing) {
        if (!admitted.tryAcquire()) {
            throw busy();
        }
        try {
            if (!running.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy();
            }
            try {
                return hashing.get();
            } finally {
                running.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("The server is shutting down");
        } finally {
            admitted.release();
        }
    }

    /** Callers waiting for a hashing slot now (a gauge). */
    int waiting() {
        return running.getQueueLength();
    }

    private static ApiException busy() {
        return new ApiException(ErrorKind.RESOURCE_EXHAUSTED, "Too many sign-ins and registrations at once; try again in a moment");
    }
}
