package dev.messenger.messages;

import dev.messenger.platform.errors.ApiException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit for sends. Each send call waits while a writer stores it together with every other
 * send that arrived while the previous batch was being written: one transaction and one commit (one
 * fsync) for the lot, instead of one each. An idle server stores a lone send at once, so batching adds
 * no waiting; under load the batches grow by themselves.
 *
 * <p>When a batch fails as a whole, each of its sends is stored again on its own, so one bad send
 * cannot fail the others and every caller gets the answer its own send deserves.
 */
final class SendBatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SendBatcher.class.getName());

    private record Pending(MessageRepository.Draft draft, CompletableFuture<MessageRepository.Outcome> outcome) {
    }

    private final Function<List<MessageRepository.Draft>, List<MessageRepository.Outcome>> writeBatch;
    private final IntConsumer afterCommit;
    private final int writers;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param writeBatch  stores a batch in one transaction, one outcome per draft in order
     * @param afterCommit told how many messages each committed batch stored
     * @param writers     batches written at the same time (each holds a database connection)
     * @param maxBatch    the most sends in one transaction
     * @param maxWaiting  sends queued beyond this are refused as UNAVAILABLE (the client retries)
     */
    SendBatcher(Function<List<MessageRepository.Draft>, List<MessageRepository.Outcome>> writeBatch, IntConsumer afterCommit,
                int writers, int maxBatch, int maxWaiting) {
        if (writers < 1 || maxBatch < 1 || maxWaiting < 1) {
            throw new IllegalArgumentException("writers, maxBatch and maxWaiting must be positive");
        }
        this.writeBatch = writeBatch;
        this.afterCommit = afterCommit;
        this.writers = writers;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(maxWaiting);
    }

    void start() {
        for (int i = 0; i < writers; i++) {
            threads.add(Thread.ofPlatform().name("send-writer-" + i).daemon().start(this::write));
        }
    }

    /** Stores one send (with whichever others are waiting) and returns once its transaction committed. */
    MessageRepository.Outcome store(MessageRepository.Draft draft) {
        Pending pending = new Pending(draft, new CompletableFuture<>());
        if (closed || !queue.offer(pending)) {
            throw ApiException.unavailable(closed ? "The server is shutting down" : "The server is overloaded; try again shortly");
        }
        // A send queued just as the writers stopped would wait forever; take it back and refuse it.
        if (closed && queue.remove(pending)) {
            throw ApiException.unavailable("The server is shutting down");
        }
        try {
            return pending.outcome().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /** Sends queued and not yet taken into a batch. */
    int waiting() {
        return queue.size();
    }

    private void write() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (true) {
            // Read before polling: once closed, a send queued after an empty poll sees the close and takes itself back.
            boolean closing = closed;
            Pending first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                if (closing) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, maxBatch - 1);
            storeBatch(batch);
            batch.clear();
        }
    }

    private void storeBatch(List<Pending> batch) {
        List<MessageRepository.Outcome> outcomes;
        try {
            outcomes = writeBatch.apply(batch.stream().map(Pending::draft).toList());
        } catch (RuntimeException | Error failure) {
            if (batch.size() == 1) {
                batch.getFirst().outcome().completeExceptionally(failure);
                return;
            }
            LOG.log(Level.WARNING, "A batch of " + batch.size() + " sends failed (" + failure + "); storing each on its own");
            for (Pending pending : batch) {
                storeBatch(List.of(pending));
            }
            return;
        }
        afterCommit.accept((int) outcomes.stream().filter(MessageRepository.Outcome.Stored.class::isInstance).count());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).outcome().complete(outcomes.get(i));
        }
    }

    /** Stores what is queued, then stops the writers; sends arriving from now on are refused. */
    @Override
    public void close() {
        closed = true;
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
