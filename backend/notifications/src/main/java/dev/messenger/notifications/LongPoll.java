package dev.messenger.notifications;

import dev.messenger.api.v1.FeedMessage;
import dev.messenger.api.v1.FeedPage;
import dev.messenger.platform.auth.Caller;
import dev.messenger.platform.auth.Sessions;
import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.limits.ClientAddress;
import dev.messenger.platform.limits.RateLimit;
import dev.messenger.platform.service.Paging;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The feed for clients that cannot hold a stream: one page after a seq, waiting a while for the
 * first entry. A wait ends with 401 as soon as the caller's session is revoked or expires.
 */
final class LongPoll {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    static final int MAX_WAIT_SECONDS = 30;

    private final FeedHub hub;
    private final FeedRepository repository;
    private final Sessions sessions;
    private final Subscriptions subscriptions;
    private final Clock clock;
    private final RateLimit pollLimit;

    LongPoll(FeedHub hub, FeedRepository repository, Sessions sessions, Subscriptions subscriptions, Clock clock,
             RateLimit pollLimit) {
        this.hub = hub;
        this.repository = repository;
        this.sessions = sessions;
        this.subscriptions = subscriptions;
        this.clock = clock;
        this.pollLimit = pollLimit;
    }

    FeedPage poll(Caller caller, ClientAddress from, long afterSeq, long limit, long waitSeconds) {
        pollLimit.check(from, caller.userId());
        UUID user = caller.userId();
        if (afterSeq < 0) {
            throw ApiException.invalid("after must not be negative");
        }
        int pageSize = Paging.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
            throw ApiException.invalid("wait must be between 0 and " + MAX_WAIT_SECONDS + " seconds");
        }
        // Listen before reading, so an entry committed between the read and the wait still wakes us.
        CompletableFuture<Boolean> woken = new CompletableFuture<>();
        try (AutoCloseable listening = hub.listen(user, entry -> {
            if (entry.getSeq() > afterSeq) {
                woken.complete(true);
            }
        }); AutoCloseable watching = sessions.watch(caller, () -> woken.complete(false))) {
            List<FeedMessage> page = repository.after(user, afterSeq, pageSize);
            if (page.isEmpty() && waitSeconds > 0) {
                Duration untilExpiry = caller.sessionTimeLeft(clock.instant());
                Duration wait = Duration.ofSeconds(waitSeconds);
                boolean stillSignedIn;
                try (AutoCloseable held = subscriptions.holdPoll(caller, () -> woken.complete(true))) {
                    stillSignedIn = awaitEntry(woken, wait.compareTo(untilExpiry) < 0 ? wait : untilExpiry);
                }
                if (!stillSignedIn || !caller.sessionTimeLeft(clock.instant()).isPositive()) {
                    throw ApiException.unauthenticated("The session has ended (signed out or expired); sign in again");
                }
                // Read again whether woken or timed out: while Kafka is down no wake-up comes, but
                // the database has every committed message.
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

    /** False when the session ended while waiting. */
    private static boolean awaitEntry(CompletableFuture<Boolean> woken, Duration wait) throws InterruptedException {
        try {
            return woken.get(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Nothing arrived in time: an empty page is the answer.
            return true;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
