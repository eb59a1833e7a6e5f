package dev.messenger.desktop.chat;

import dev.messenger.api.v1.Message;
import dev.messenger.desktop.FakeApi;
import dev.messenger.desktop.connection.Backoff;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.prefs.Preferences;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OutboxTest {
    private final Preferences node = Preferences.userRoot().node("dev/messenger/desktop-tests/" + UUID.randomUUID());
    private final FakeApi api = new FakeApi(FakeApi.user("me", "me"));
    private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    /** Back-off that always waits its whole ceiling: an hour, longer than any test runs. */
    private final Outbox outbox = new Outbox(node, api, io,
            () -> new Backoff(Duration.ofHours(1), Duration.ofHours(1), new AlwaysMax()));

    @AfterEach
    void stop() throws Exception {
        outbox.close();
        io.shutdownNow();
        node.removeNode();
    }

    @Test
    void aSendWaitingOutItsBackOffIsTriedAtOnceWhenTheServerIsBack() throws Exception {
        api.sendFailures.add(Status.UNAVAILABLE);
        CompletableFuture<Message> stored = new CompletableFuture<>();
        Outbox.Entry entry = new Outbox.Entry("c-1", "peer", "written offline", Instant.now(), "");
        outbox.record(entry);
        outbox.deliver(entry, stored::complete, reason -> stored.completeExceptionally(new AssertionError(reason)));

        waitUntilTried(1);
        assertThrows(TimeoutException.class, () -> stored.get(300, TimeUnit.MILLISECONDS), "waiting out its back-off");

        outbox.retryNow();
        assertEquals("written offline", stored.get(10, TimeUnit.SECONDS).getText());
        assertEquals(List.of("c-1", "c-1"), api.sentClientIds, "tried once more, with the same id");
        assertEquals(List.of(), outbox.entries(), "forgotten once stored");
    }

    @Test
    void closingEndsTheWaitWithoutSending() throws Exception {
        api.sendFailures.add(Status.UNAVAILABLE);
        Outbox.Entry entry = new Outbox.Entry("c-2", "peer", "kept for the next start", Instant.now(), "");
        outbox.record(entry);
        outbox.deliver(entry, message -> { }, reason -> { });
        waitUntilTried(1);

        outbox.close();
        io.shutdown();
        assertEquals(true, io.awaitTermination(10, TimeUnit.SECONDS), "the delivery loop ended");
        assertEquals(1, api.sentClientIds.size());
        assertEquals(1, outbox.entries().size(), "still there for the next start");
    }

    private void waitUntilTried(int times) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sent() < times) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the send was not tried " + times + " time(s)");
            }
            Thread.sleep(10);
        }
    }

    private int sent() {
        synchronized (api) {
            return api.sentClientIds.size();
        }
    }

    private static final class AlwaysMax implements RandomGenerator {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    }
}
