package dev.messenger.users;

import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class HashingGateTest {
    @Test
    void atMostTheConfiguredNumberRunAtOnceAndTheQueueBeyondIsRefusedAtOnce() throws Exception {
        HashingGate gate = new HashingGate(2, 3, Duration.ofSeconds(20));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch twoRunning = new CountDownLatch(2);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<String>> admitted = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                admitted.add(callers.submit(() -> gate.run(() -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    twoRunning.countDown();
                    await(release);
                    running.decrementAndGet();
                    return "hashed";
                })));
            }
            assertTrue(twoRunning.await(5, TimeUnit.SECONDS));
            awaitQueued(gate, admitted);

            // Two running and three waiting: the sixth caller is refused without waiting.
            long start = System.nanoTime();
            ApiException refused = assertThrows(ApiException.class, () -> gate.run(() -> "never"));
            assertEquals(ErrorKind.RESOURCE_EXHAUSTED, refused.kind());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "refused at once");

            release.countDown();
            for (Future<String> future : admitted) {
                assertEquals("hashed", future.get(10, TimeUnit.SECONDS));
            }
            assertEquals(2, mostAtOnce.get(), "never more than two at once");
            assertEquals("again", gate.run(() -> "again"), "free again afterwards");
        } finally {
            release.countDown();
            callers.shutdownNow();
        }
    }

    @Test
    void aCallerThatWaitsLongerThanTheLimitIsRefused() throws Exception {
        HashingGate gate = new HashingGate(1, 5, Duration.ofMillis(200));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Future<String> slow = callers.submit(() -> gate.run(() -> {
                started.countDown();
                await(release);
                return "slow";
            }));
            assertTrue(started.await(5, TimeUnit.SECONDS));
            ApiException refused = assertThrows(ApiException.class, () -> gate.run(() -> "late"));
            assertEquals(ErrorKind.RESOURCE_EXHAUSTED, refused.kind());
            release.countDown();
            assertEquals("slow", slow.get(5, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            callers.shutdownNow();
        }
    }

    @Test
    void aFailingHashFreesItsPlace() {
        HashingGate gate = new HashingGate(1, 0, Duration.ZERO);
        assertThrows(IllegalStateException.class, () -> gate.run(() -> {
            throw new IllegalStateException("boom");
        }));
        assertEquals("fine", gate.run(() -> "fine"));
    }

    /** Waits until the three callers beyond the two running are queued inside the gate. */
    private static void awaitQueued(HashingGate gate, List<Future<String>> callers) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (callers.stream().noneMatch(Future::isDone) && gate.waiting() == 3) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("three callers did not queue");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
