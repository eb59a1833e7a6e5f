package dev.messenger.platform.service;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryBackoffTest {
    @Test
    void waitsDoubleUpToTheCeilingAndStartOverAfterASuccess() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waits.add(backoff.next().toMillis());
            backoff.pause();
        }
        assertEquals(List.of(1L, 2L, 4L, 5L, 5L), waits);
        backoff.reset();
        assertEquals(Duration.ofMillis(1), backoff.next());
    }

    @Test
    void anInterruptEndsThePauseAndStaysSet() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30));
        Thread.currentThread().interrupt();
        long started = System.nanoTime();
        backoff.pause();
        assertTrue(Thread.interrupted(), "interrupt flag kept (and cleared here)");
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void firstMustBePositiveAndNotAboveMax() {
        assertThrows(IllegalArgumentException.class, () -> new RetryBackoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new RetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
