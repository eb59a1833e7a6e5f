package dev.messenger.notifications;

import dev.messenger.api.v1.FeedEvent;
import dev.messenger.platform.auth.Caller;
import dev.messenger.platform.auth.Sessions;
import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.ErrorKind;
import dev.messenger.platform.limits.ClientAddress;
import dev.messenger.platform.limits.RateLimit;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live feeds of this instance. One feed per session: a new Subscribe from the same session ends
 * the older feed (a client reconnecting, or the same account signed in twice with one token). A
 * user has at most {@code maxFeedsPerUser} feeds, waiting long polls included. A feed ends with
 * UNAUTHENTICATED as soon as its session is revoked, on any server, or expires.
 */
final class Subscriptions implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Subscriptions.class.getName());

    private final FeedHub hub;
    private final FeedRepository repository;
    private final Sessions sessions;
    private final Duration heartbeatInterval;
    private final int maxFeedsPerUser;
    private final Clock clock;
    private final Map<UUID, Feed> bySession = new HashMap<>();
    private final Map<UUID, Integer> perUser = new HashMap<>();
    /** Waiting long polls, each with what makes it answer now (at shutdown). */
    private final Set<Runnable> polls = new HashSet<>();
    private final RateLimit subscribeLimit;
    private boolean closed;

    Subscriptions(FeedHub hub, FeedRepository repository, Sessions sessions, Duration heartbeatInterval, int maxFeedsPerUser,
                  Clock clock, RateLimit subscribeLimit) {
        this.hub = hub;
        this.repository = repository;
        this.sessions = sessions;
        this.heartbeatInterval = heartbeatInterval;
        this.maxFeedsPerUser = maxFeedsPerUser;
        this.clock = clock;
        this.subscribeLimit = subscribeLimit;
    }

    /** Opens a feed and runs it on its own thread; returns at once. */
    void subscribe(Caller caller, ClientAddress from, long afterSeq, StreamObserver<FeedEvent> stream) {
        subscribeLimit.check(from, caller.userId());
        if (afterSeq < 0) {
            throw ApiException.invalid("afterSeq must not be negative");
        }
        Feed feed = new Feed(caller, afterSeq, stream, repository, heartbeatInterval, clock);
        if (stream instanceof ServerCallStreamObserver<FeedEvent> serverStream) {
            serverStream.setOnCancelHandler(feed::cancel);
        }
        register(feed);
        AutoCloseable listening = hub.listen(caller.userId(), feed);
        AutoCloseable watching = sessions.watch(caller,
                () -> feed.end(Status.UNAUTHENTICATED.withDescription("The session was signed out; sign in again")));
        Thread.ofVirtual().name("feed-" + caller.userId()).start(() -> {
            try {
                feed.run();
            } finally {
                closeQuietly(watching);
                closeQuietly(listening);
                unregister(feed);
            }
        });
    }

    private synchronized void register(Feed feed) {
        if (closed) {
            throw ApiException.unavailable("The server is shutting down; subscribe again shortly");
        }
        Caller caller = feed.caller();
        Feed previous = bySession.get(caller.sessionId());
        if (previous != null) {
            previous.end(Status.CANCELLED.withDescription("Replaced by a newer Subscribe from the same session"));
        } else {
            reserveFeed(caller.userId());
        }
        bySession.put(caller.sessionId(), feed);
    }

    /**
     * Counts a waiting long poll as one of the user's feeds until the returned handle is closed.
     *
     * @param answerNow makes the poll answer at once (with what it has) when the server stops
     */
    synchronized AutoCloseable holdPoll(Caller caller, Runnable answerNow) {
        if (closed) {
            throw ApiException.unavailable("The server is shutting down; poll again shortly");
        }
        reserveFeed(caller.userId());
        polls.add(answerNow);
        return () -> {
            synchronized (this) {
                polls.remove(answerNow);
                releaseFeed(caller.userId());
            }
        };
    }

    private void reserveFeed(UUID userId) {
        if (perUser.getOrDefault(userId, 0) >= maxFeedsPerUser) {
            throw new ApiException(ErrorKind.RESOURCE_EXHAUSTED,
                    "Too many open feeds for this user (" + maxFeedsPerUser + "); close another session's feed first");
        }
        perUser.merge(userId, 1, Integer::sum);
    }

    private void releaseFeed(UUID userId) {
        perUser.computeIfPresent(userId, (user, count) -> count <= 1 ? null : count - 1);
    }

    private synchronized void unregister(Feed feed) {
        Caller caller = feed.caller();
        if (bySession.get(caller.sessionId()) == feed) {
            bySession.remove(caller.sessionId());
            releaseFeed(caller.userId());
        }
    }

    synchronized int openFeeds() {
        return bySession.size();
    }

    synchronized int openFeeds(UUID userId) {
        return perUser.getOrDefault(userId, 0);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "Could not remove a listener", e);
        }
    }

    /**
     * Ends every feed with UNAVAILABLE so clients resubscribe (elsewhere, or after the restart), and
     * makes waiting long polls answer now, so the web server need not wait for them to stop.
     */
    @Override
    public void close() {
        List<Feed> feeds;
        List<Runnable> waitingPolls;
        synchronized (this) {
            closed = true;
            feeds = new ArrayList<>(bySession.values());
            waitingPolls = new ArrayList<>(polls);
        }
        feeds.forEach(feed -> feed.end(Status.UNAVAILABLE.withDescription("The server is shutting down; resubscribe")));
        waitingPolls.forEach(Runnable::run);
    }
}
