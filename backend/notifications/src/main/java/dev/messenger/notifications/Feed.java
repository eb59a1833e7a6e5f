package dev.messenger.notifications;

import com.google.protobuf.Timestamp;
import dev.messenger.api.v1.FeedEvent;
import dev.messenger.api.v1.FeedMessage;
import dev.messenger.api.v1.Heartbeat;
import dev.messenger.platform.auth.Caller;
import dev.messenger.platform.service.ProtoTime;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One live {@code Subscribe} stream. Its own thread is the only one that writes to the stream:
 * it replays from the database, then sends live entries in seq order, filling any gap (or a queue
 * overflow) from the database and dropping repeats. Heartbeats also re-check the database, so a
 * lost event costs at most one heartbeat interval, and tell the client the feed is alive (a client
 * that hears nothing for three intervals reconnects). A client's cancel, or its connection dying,
 * stops the feed at once ({@link #cancel()}).
 */
final class Feed implements FeedHub.Listener {
    private static final Logger LOG = Logger.getLogger(Feed.class.getName());
    static final int REPLAY_PAGE = 500;
    private static final int QUEUE_CAPACITY = 1024;

    private final Caller caller;
    private final StreamObserver<FeedEvent> stream;
    private final FeedRepository repository;
    private final Duration heartbeatInterval;
    private final Clock clock;
    private final ArrayBlockingQueue<FeedMessage> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private volatile boolean peerGone;
    private volatile Status endStatus;
    private long lastSeq;

    Feed(Caller caller, long afterSeq, StreamObserver<FeedEvent> stream, FeedRepository repository,
         Duration heartbeatInterval, Clock clock) {
        this.caller = caller;
        this.lastSeq = afterSeq;
        this.stream = stream;
        this.repository = repository;
        this.heartbeatInterval = heartbeatInterval;
        this.clock = clock;
    }

    Caller caller() {
        return caller;
    }

    @Override
    public void offer(FeedMessage entry) {
        if (open.get() && !queue.offer(entry)) {
            overflowed.set(true);
        }
    }

    /** The client went away: stop at once and write nothing more (idempotent). */
    void cancel() {
        peerGone = true;
        stop();
    }

    /** Ends the stream with this status from the feed's own thread (replaced by a newer feed, server stopping). */
    void end(Status status) {
        endStatus = status;
        stop();
    }

    private void stop() {
        if (open.compareAndSet(true, false)) {
            // Wakes the feed thread if it waits for entries; a full queue wakes it anyway.
            queue.offer(FeedMessage.getDefaultInstance());
        }
    }

    /** The feed's loop; returns when the stream has ended for any reason. */
    void run() {
        try {
            catchUp();
            // An immediate heartbeat tells the client the subscription is live even when there is
            // nothing to replay, so it can show "connected" at once.
            send(FeedEvent.newBuilder().setHeartbeat(heartbeat()).build());
            while (open.get()) {
                Duration untilExpiry = caller.sessionTimeLeft(clock.instant());
                if (!untilExpiry.isPositive()) {
                    endStatus = Status.UNAUTHENTICATED.withDescription("The session has expired; sign in again");
                    break;
                }
                long waitMillis = Math.min(heartbeatInterval.toMillis(), untilExpiry.toMillis() + 1);
                FeedMessage next = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (!open.get()) {
                    break;
                }
                if (overflowed.getAndSet(false)) {
                    queue.clear();
                    catchUp();
                } else if (next == null) {
                    catchUp();
                    send(FeedEvent.newBuilder().setHeartbeat(heartbeat()).build());
                } else if (next.getSeq() == lastSeq + 1) {
                    deliver(next);
                } else if (next.getSeq() > lastSeq + 1) {
                    catchUp();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (StreamClosed e) {
            peerGone = true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Feed of user " + caller.userId() + " failed", e);
            endStatus = Status.UNAVAILABLE.withDescription("The feed failed on the server; resubscribe");
        } finally {
            open.set(false);
            finish();
        }
    }

    private void catchUp() {
        List<FeedMessage> page;
        do {
            page = repository.after(caller.userId(), lastSeq, REPLAY_PAGE);
            for (FeedMessage entry : page) {
                if (!open.get()) {
                    return;
                }
                deliver(entry);
            }
        } while (page.size() == REPLAY_PAGE);
    }

    private void deliver(FeedMessage entry) {
        FeedEvent.Builder event = FeedEvent.newBuilder();
        if (entry.getMessage().hasMembershipChange()) {
            event.setMembershipChange(entry);
        } else {
            event.setMessage(entry);
        }
        send(event.build());
        lastSeq = entry.getSeq();
    }

    private Heartbeat heartbeat() {
        var now = clock.instant();
        Timestamp serverTime = ProtoTime.of(now);
        return Heartbeat.newBuilder().setLastSeq(lastSeq).setServerTime(serverTime).build();
    }

    private void send(FeedEvent event) {
        if (peerGone) {
            throw new StreamClosed();
        }
        try {
            stream.onNext(event);
        } catch (RuntimeException e) {
            throw new StreamClosed();
        }
    }

    private void finish() {
        if (peerGone) {
            return;
        }
        try {
            Status status = endStatus;
            if (status == null) {
                stream.onCompleted();
            } else {
                stream.onError(status.asRuntimeException());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Could not end the feed of user " + caller.userId() + "; the client is gone", e);
        }
    }

    /** The stream cannot be written to any more. */
    private static final class StreamClosed extends RuntimeException {
        StreamClosed() {
            super(null, null, false, false);
        }
    }
}
