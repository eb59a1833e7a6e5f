package dev.messenger.desktop.connection;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WakeDetectorTest {
    @Test
    void aJumpInWallClockTimeMeansTheComputerSlept() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000);
        CountDownLatch woke = new CountDownLatch(1);
        try (var detector = new WakeDetector(Duration.ofMillis(20), Duration.ofSeconds(30), clock::get, woke::countDown)) {
            assertFalse(woke.await(200, TimeUnit.MILLISECONDS), "time passing normally is not a wake-up");
            clock.addAndGet(Duration.ofMinutes(10).toMillis());
            assertTrue(woke.await(5, TimeUnit.SECONDS));
        }
        assertEquals(0, woke.getCount());
    }
}
