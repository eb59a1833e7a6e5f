package dev.messenger.desktop.connection;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Ends back-off waits early when there is reason to try the server again at once (the feed has
 * just connected, the computer woke up, the user asked). Locks, not {@code synchronized}: the
 * waiters are virtual threads, which must not pin their carrier while they wait.
 */
public final class RetrySignal {
    private final Lock lock = new ReentrantLock();
    private final Condition fired = lock.newCondition();
    private long firings;

    /** Wakes every wait in progress. */
    public void fire() {
        lock.lock();
        try {
            firings++;
            fired.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How often it has fired so far: take it before an attempt, and wait with {@link #awaitFiringSince}. */
    public long firings() {
        lock.lock();
        try {
            return firings;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for {@code duration}, or less if the signal fires, or already fired after
     * {@code firings} was read (so a firing during the attempt before is not missed); an
     * interrupt ends the wait early and stays set.
     *
     * @return true when the signal fired
     */
    public boolean awaitFiringSince(long firings, Duration duration) {
        long nanos = duration.toNanos();
        lock.lock();
        try {
            while (nanos > 0 && firings == this.firings) {
                nanos = fired.awaitNanos(nanos);
            }
            return firings != this.firings;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
