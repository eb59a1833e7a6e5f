package dev.messenger.notifications;

import dev.messenger.api.v1.FeedMessage;
import dev.messenger.api.v1.FeedPage;
import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.service.Paging;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The feed for clients that cannot hold a stream: one page after a seq, waiting a while for the first entry. */
final class LongPoll {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    static final int MAX_WAIT_SECONDS = 30;

    private final FeedHub hub;
    private final FeedRepository repository;

    LongPoll(FeedHub hub, FeedRepository repository) {
        this.hub = hub;
        this.repository = repository;
    }

    FeedPage poll(UUID user, long afterSeq, long limit, long waitSeconds) {
        if (afterSeq < 0) {
            throw ApiException.invalid("after must not be negative");
        }
        int pageSize = Paging.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
            throw ApiException.invalid("wait must be between 0 and " + MAX_WAIT_SECONDS + " seconds");
        }
        // Listen before reading, so an entry committed between the read and the wait still wakes us.
        CompletableFuture<Void> arrived = new CompletableFuture<>();
        try (AutoCloseable ignored = hub.listen(user, entry -> {
            if (entry.getSeq() > afterSeq) {
                arrived.complete(null);
            }
        })) {
            List<FeedMessage> page = repository.after(user, afterSeq, pageSize);
            if (page.isEmpty() && waitSeconds > 0) {
                // Read again whether woken or timed out: while Kafka is down no wake-up comes, but
                // the database has every committed message.
                awaitEntry(arrived, Duration.ofSeconds(waitSeconds));
                page = repository.after(user, afterSeq, pageSize);
            }
            long lastSeq = page.isEmpty() ? afterSeq : page.getLast().getSeq();
            return FeedPage.newBuilder().addAllMessages(page).setLastSeq(lastSeq).build();
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Long poll failed", e);
        }
    }

    private static void awaitEntry(CompletableFuture<Void> arrived, Duration wait) throws InterruptedException {
        try {
            arrived.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Nothing arrived in time: an empty page is the answer.
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
