package dev.messenger.messages;

import dev.messenger.api.v1.Message;
import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.ErrorKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batching itself: which sends go into one transaction, and what each caller gets back. The
 * transaction is a function here; MessagePathTest runs the real one on PostgreSQL.
 */
class SendBatcherTest {
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger committed = new AtomicInteger();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    private static MessageRepository.Draft draft(String text) {
        return MessageRepository.Draft.direct(UUID.randomUUID(), UUID.randomUUID(), text, null);
    }

    private static MessageRepository.Outcome stored(MessageRepository.Draft draft) {
        return new MessageRepository.Outcome.Stored(new MessageRepository.Sent(
                Message.newBuilder().setText(draft.text()).build(), Map.of(draft.senderId(), 1L, draft.recipientId(), 1L)));
    }

    /** Records each batch's texts and stores every draft, after {@code during} ran. */
    private Function<List<MessageRepository.Draft>, List<MessageRepository.Outcome>> recording(Runnable during) {
        return drafts -> {
            batches.add(drafts.stream().map(MessageRepository.Draft::text).toList());
            during.run();
            return drafts.stream().map(SendBatcherTest::stored).toList();
        };
    }

    private SendBatcher batcher(Function<List<MessageRepository.Draft>, List<MessageRepository.Outcome>> writeBatch,
                                int writers, int maxBatch, int maxWaiting) {
        SendBatcher batcher = new SendBatcher(writeBatch, committed::addAndGet, writers, maxBatch, maxWaiting);
        batcher.start();
        return batcher;
    }

    private Future<MessageRepository.Outcome> storeLater(SendBatcher batcher, String text) {
        return callers.submit(() -> batcher.store(draft(text)));
    }

    @Test
    void sendsArrivingWhileABatchIsWrittenGoIntoTheNextTransactionTogether() throws Exception {
        CountDownLatch firstBatchStarted = new CountDownLatch(1);
        CountDownLatch othersQueued = new CountDownLatch(1);
        try (SendBatcher batcher = batcher(recording(() -> {
            if (batches.size() == 1) {
                firstBatchStarted.countDown();
                await(othersQueued);
            }
        }), 1, 128, 100)) {
            Future<MessageRepository.Outcome> first = storeLater(batcher, "first");
            assertTrue(firstBatchStarted.await(10, TimeUnit.SECONDS));
            List<Future<MessageRepository.Outcome>> others = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                others.add(storeLater(batcher, "other " + i));
            }
            awaitWaiting(batcher, 20);
            othersQueued.countDown();

            assertEquals("first", text(first.get(10, TimeUnit.SECONDS)));
            for (Future<MessageRepository.Outcome> other : others) {
                assertTrue(text(other.get(10, TimeUnit.SECONDS)).startsWith("other "));
            }
            assertEquals(List.of("first"), batches.get(0));
            assertEquals(20, batches.get(1).size(), "all twenty waited for the first commit and shared the second");
            assertEquals(2, batches.size());
            assertEquals(21, committed.get());
        }
    }

    @Test
    void aBatchIsNeverLargerThanTheLimit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (SendBatcher batcher = batcher(recording(() -> {
            if (batches.size() == 1) {
                await(release);
            }
        }), 1, 4, 100)) {
            List<Future<MessageRepository.Outcome>> sends = new ArrayList<>();
            sends.add(storeLater(batcher, "blocker"));
            while (batches.isEmpty()) {
                Thread.sleep(5);
            }
            for (int i = 0; i < 10; i++) {
                sends.add(storeLater(batcher, "m" + i));
            }
            awaitWaiting(batcher, 10);
            release.countDown();
            for (Future<MessageRepository.Outcome> send : sends) {
                send.get(10, TimeUnit.SECONDS);
            }
            assertTrue(batches.stream().allMatch(batch -> batch.size() <= 4), batches.toString());
            assertEquals(11, batches.stream().mapToInt(List::size).sum());
        }
    }

    @Test
    void whenABatchFailsEachSendIsStoredOnItsOwnAndOnlyTheBadOneFails() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Function<List<MessageRepository.Draft>, List<MessageRepository.Outcome>> failsOnBad = drafts -> {
            batches.add(drafts.stream().map(MessageRepository.Draft::text).toList());
            if (batches.size() == 1) {
                await(release);
            }
            if (drafts.stream().anyMatch(draft -> draft.text().equals("bad"))) {
                throw new IllegalStateException("constraint violated");
            }
            return drafts.stream().map(SendBatcherTest::stored).toList();
        };
        try (SendBatcher batcher = batcher(failsOnBad, 1, 128, 100)) {
            Future<MessageRepository.Outcome> blocker = storeLater(batcher, "blocker");
            while (batches.isEmpty()) {
                Thread.sleep(5);
            }
            Future<MessageRepository.Outcome> good1 = storeLater(batcher, "good 1");
            Future<MessageRepository.Outcome> bad = storeLater(batcher, "bad");
            Future<MessageRepository.Outcome> good2 = storeLater(batcher, "good 2");
            awaitWaiting(batcher, 3);
            release.countDown();

            assertEquals("blocker", text(blocker.get(10, TimeUnit.SECONDS)));
            assertEquals("good 1", text(good1.get(10, TimeUnit.SECONDS)));
            assertEquals("good 2", text(good2.get(10, TimeUnit.SECONDS)));
            var failure = assertThrows(Exception.class, () -> bad.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, failure.getCause());
            assertEquals(3, committed.get(), "blocker and the two good sends");
        }
    }

    @Test
    void aFullQueueRefusesWithUnavailableInsteadOfGrowing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (SendBatcher batcher = batcher(recording(() -> await(release)), 1, 1, 2)) {
            List<Future<MessageRepository.Outcome>> accepted = new ArrayList<>();
            accepted.add(storeLater(batcher, "being written"));
            while (batches.isEmpty()) {
                Thread.sleep(5);
            }
            accepted.add(storeLater(batcher, "queued 1"));
            accepted.add(storeLater(batcher, "queued 2"));
            // Only with the queue really full may this thread send: an accepted send would wait for ever.
            awaitWaiting(batcher, 2);

            ApiException refused = assertThrows(ApiException.class, () -> batcher.store(draft("one too many")));
            assertEquals(ErrorKind.UNAVAILABLE, refused.kind());
            release.countDown();
            for (Future<MessageRepository.Outcome> send : accepted) {
                send.get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void closingStoresWhatIsQueuedThenRefusesNewSends() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SendBatcher batcher = batcher(recording(() -> {
            if (batches.size() == 1) {
                await(release);
            }
        }), 1, 128, 100);
        Future<MessageRepository.Outcome> writing = storeLater(batcher, "being written");
        while (batches.isEmpty()) {
            Thread.sleep(5);
        }
        Future<MessageRepository.Outcome> queued = storeLater(batcher, "queued");
        awaitWaiting(batcher, 1);
        Future<?> closing = callers.submit(batcher::close);
        Thread.sleep(100);
        release.countDown();
        closing.get(10, TimeUnit.SECONDS);

        assertEquals("being written", text(writing.get(10, TimeUnit.SECONDS)));
        assertEquals("queued", text(queued.get(10, TimeUnit.SECONDS)));
        ApiException refused = assertThrows(ApiException.class, () -> batcher.store(draft("too late")));
        assertEquals(ErrorKind.UNAVAILABLE, refused.kind());
    }

    private static void awaitWaiting(SendBatcher batcher, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (batcher.waiting() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + expected + " queued sends, found " + batcher.waiting());
            }
            Thread.sleep(2);
        }
    }

    private static String text(MessageRepository.Outcome outcome) {
        return ((MessageRepository.Outcome.Stored) outcome).sent().message().getText();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
