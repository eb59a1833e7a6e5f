package dev.messenger.desktop.connection;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Notices that the computer slept: a timer that should tick every {@code tick} finds that much more
 * wall-clock time passed. After a sleep the feed's TCP connection is usually dead without an error,
 * so reconnecting at once beats waiting for the stall timeout.
 */
public final class WakeDetector implements AutoCloseable {
    private final Duration tick;
    private final Duration gapMeaningSleep;
    private final LongSupplier wallClockMillis;
    private final Runnable onWake;
    private volatile boolean running = true;
    private final Thread worker;

    public WakeDetector(Duration tick, Duration gapMeaningSleep, LongSupplier wallClockMillis, Runnable onWake) {
        this.tick = tick;
        this.gapMeaningSleep = gapMeaningSleep;
        this.wallClockMillis = wallClockMillis;
        this.onWake = onWake;
        this.worker = Thread.ofVirtual().name("wake-detector").start(this::run);
    }

    public static WakeDetector start(Runnable onWake) {
        return new WakeDetector(Duration.ofSeconds(5), Duration.ofSeconds(30), System::currentTimeMillis, onWake);
    }

    private void run() {
        long last = wallClockMillis.getAsLong();
        while (running) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            long now = wallClockMillis.getAsLong();
            if (now - last > gapMeaningSleep.toMillis()) {
                onWake.run();
            }
            last = now;
        }
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
    }
}
