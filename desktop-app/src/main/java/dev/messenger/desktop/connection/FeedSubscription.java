package dev.messenger.desktop.connection;

import dev.messenger.api.v1.FeedEvent;
import dev.messenger.api.v1.NotificationsServiceGrpc;
import dev.messenger.api.v1.SubscribeRequest;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live feed: subscribes after the last seq seen, hands on each new entry exactly once, and on
 * any failure reconnects with exponential back-off and jitter, resuming from the last seq. A feed
 * that stays silent longer than the stall timeout (the server sends heartbeats) is treated as dead:
 * after sleep or a network change a TCP connection can hang without an error.
 */
public final class FeedSubscription implements LiveFeed {
    private static final Logger LOG = Logger.getLogger(FeedSubscription.class.getName());

    private final Supplier<ManagedChannel> channels;
    private final Supplier<CallCredentials> credentials;
    private final FeedListener listener;
    private final Duration stallTimeout;
    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new SecureRandom());
    private final RetrySignal retryNow = new RetrySignal();
    private volatile long lastSeq;
    private volatile boolean running = true;
    private volatile ManagedChannel channel;
    private volatile Instant lastEventAt = Instant.now();
    private Thread worker;
    private Thread watchdog;

    FeedSubscription(Supplier<ManagedChannel> channels, Supplier<CallCredentials> credentials, long afterSeq, FeedListener listener,
                     Duration stallTimeout) {
        this.channels = channels;
        this.credentials = credentials;
        this.lastSeq = afterSeq;
        this.listener = listener;
        this.stallTimeout = stallTimeout;
    }

    void start() {
        worker = Thread.ofVirtual().name("feed").start(this::run);
        watchdog = Thread.ofVirtual().name("feed-watchdog").start(this::watch);
    }

    private void run() {
        boolean everConnected = false;
        while (running) {
            long firings = retryNow.firings();
            listener.onStatus(everConnected ? ConnectionStatus.RECONNECTING : ConnectionStatus.CONNECTING);
            ManagedChannel current = channels.get();
            channel = current;
            try {
                lastEventAt = Instant.now();
                Iterator<FeedEvent> events = NotificationsServiceGrpc.newBlockingStub(current)
                        .withCallCredentials(credentials.get())
                        .subscribe(SubscribeRequest.newBuilder().setAfterSeq(lastSeq).build());
                boolean first = true;
                while (running && events.hasNext()) {
                    FeedEvent event = events.next();
                    lastEventAt = Instant.now();
                    if (first) {
                        first = false;
                        everConnected = true;
                        backoff.reset();
                        listener.onStatus(ConnectionStatus.CONNECTED);
                    }
                    if (event.hasMessage() && event.getMessage().getSeq() > lastSeq) {
                        lastSeq = event.getMessage().getSeq();
                        listener.onMessage(event.getMessage());
                    }
                }
            } catch (StatusRuntimeException e) {
                if (running && ApiErrors.isSignedOut(e)) {
                    running = false;
                    listener.onStatus(ConnectionStatus.OFFLINE);
                    listener.onSignedOut();
                    return;
                }
                LOG.log(Level.FINE, "Feed interrupted: " + e.getStatus());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Feed failed", e);
            } finally {
                // A fresh connection for every attempt: after sleep or a network change the old one
                // may be dead without knowing it.
                current.shutdownNow();
            }
            if (running) {
                listener.onStatus(backoff.attempts() >= 5 ? ConnectionStatus.OFFLINE : ConnectionStatus.RECONNECTING);
                if (retryNow.awaitFiringSince(firings, backoff.next())) {
                    backoff.reset();
                }
            }
        }
    }

    private void watch() {
        while (running) {
            sleep(Duration.ofSeconds(1));
            ManagedChannel current = channel;
            if (running && current != null && Duration.between(lastEventAt, Instant.now()).compareTo(stallTimeout) > 0) {
                LOG.info("The feed has been silent for " + stallTimeout.toSeconds() + " s; reconnecting");
                lastEventAt = Instant.now();
                current.shutdownNow();
            }
        }
    }

    @Override
    public void reconnectNow() {
        retryNow.fire();
        ManagedChannel current = channel;
        if (current != null) {
            current.shutdownNow();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        ManagedChannel current = channel;
        if (current != null) {
            current.shutdownNow();
            try {
                current.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (worker != null) {
            worker.interrupt();
        }
        if (watchdog != null) {
            watchdog.interrupt();
        }
    }
}
