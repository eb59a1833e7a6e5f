package dev.messenger.loadtest;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A line per interval with the live rate, until the run's end; runs on its own daemon thread. */
final class Progress {
    private Progress() {
    }

    static void every(Duration interval, long startNanos, long endNanos, LongSupplier accepted, LongSupplier delivered) {
        Thread.ofPlatform().daemon().name("progress").start(() -> {
            long last = 0;
            while (System.nanoTime() < endNanos) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                long now = accepted.getAsLong();
                System.out.printf("  t=%3ds  accepted %,10d  (%,7.0f/s)  delivered %,10d%n",
                        Duration.ofNanos(System.nanoTime() - startNanos).toSeconds(), now,
                        (now - last) / (interval.toMillis() / 1000.0), delivered.getAsLong());
                last = now;
            }
        });
    }
}
