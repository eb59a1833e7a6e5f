package dev.messenger.desktop.connection;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {
    @Test
    void waitsGrowExponentiallyWithinTheCapAndResetAfterSuccess() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new SplittableRandom(42));
        long[] ceilings = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
        for (long ceiling : ceilings) {
            long wait = backoff.next().toMillis();
            assertTrue(wait >= 0 && wait <= ceiling, wait + " within " + ceiling);
        }
        assertEquals(ceilings.length, backoff.attempts());
        backoff.reset();
        assertTrue(backoff.next().toMillis() <= 500);
    }

    @Test
    void jitterSpreadsClientsOut() {
        Backoff a = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new SplittableRandom(1));
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new SplittableRandom(2));
        int same = 0;
        for (int i = 0; i < 10; i++) {
            if (a.next().equals(b.next())) {
                same++;
            }
        }
        assertTrue(same < 3);
    }
}
