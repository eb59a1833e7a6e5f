package dev.messenger.desktop.chat;

import dev.messenger.api.v1.Message;
import dev.messenger.desktop.connection.ApiErrors;
import dev.messenger.desktop.connection.Backoff;
import dev.messenger.desktop.connection.MessengerApi;
import dev.messenger.desktop.connection.RetrySignal;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * The account's sends the server has not confirmed yet, kept on disk (a java.util.prefs node of
 * their own) until it has: a message typed while offline is still sent after the app was closed
 * and started again. Delivery retries with the same client message id until the server answers, so
 * however often it is tried (a retry, a restart, the chat and the start-up both trying) the server
 * stores it once. A send the server refuses stays, marked failed, until the user retries it.
 */
public final class Outbox implements AutoCloseable {
    private static final String PEER = "peer";
    private static final String TEXT = "text";
    private static final String CREATED_AT = "createdAt";
    private static final String FAILURE = "failure";

    /** A send not yet confirmed; {@code failure} is empty while it is still being tried. */
    public record Entry(String clientMessageId, String peerId, String text, Instant createdAt, String failure) {
        public boolean failed() {
            return !failure.isEmpty();
        }

        Entry withFailure(String reason) {
            return new Entry(clientMessageId, peerId, text, createdAt, reason);
        }
    }

    private final Preferences node;
    private final MessengerApi api;
    private final Executor io;
    private final Supplier<Backoff> backoffs;
    private final RetrySignal retryNow = new RetrySignal();
    private volatile boolean closed;

    /** @param node this account's own node: everything in it is this outbox's */
    public Outbox(Preferences node, MessengerApi api, Executor io) {
        this(node, api, io, () -> new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15), new SecureRandom()));
    }

    Outbox(Preferences node, MessengerApi api, Executor io, Supplier<Backoff> backoffs) {
        this.node = node;
        this.api = api;
        this.io = io;
        this.backoffs = backoffs;
    }

    /**
     * The server is reachable again (the live feed just connected): every send waiting out its
     * back-off is tried at once, instead of up to 15 s later.
     */
    public void retryNow() {
        retryNow.fire();
    }

    /** Unconfirmed sends to {@code peerId}, oldest first. */
    public List<Entry> waiting(String peerId) {
        return entries().stream().filter(entry -> entry.peerId().equals(peerId)).toList();
    }

    /** Every unconfirmed send, oldest first. */
    public synchronized List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        try {
            for (String id : node.childrenNames()) {
                Preferences child = node.node(id);
                entries.add(new Entry(id, child.get(PEER, ""), child.get(TEXT, ""),
                        Instant.ofEpochMilli(child.getLong(CREATED_AT, 0)), child.get(FAILURE, "")));
            }
        } catch (BackingStoreException | IllegalStateException e) {
            return List.of();
        }
        entries.sort(Comparator.comparing(Entry::createdAt).thenComparing(Entry::clientMessageId));
        return entries;
    }

    /** The server has it (it came back in a send's answer or through the feed): forget it. */
    public synchronized void confirmed(String clientMessageId) {
        try {
            if (node.nodeExists(clientMessageId)) {
                node.node(clientMessageId).removeNode();
                node.flush();
            }
        } catch (BackingStoreException | IllegalStateException e) {
            // Then it is tried once more at the next start, and the server answers with the stored message.
        }
    }

    /**
     * Records a send (a new one, or a failed one tried again) at once, on the calling thread, so that
     * quitting the app right after cannot lose it; {@link #deliver} it next.
     */
    public void record(Entry entry) {
        save(entry);
    }

    /**
     * Tries a recorded send on the io executor until the server has it or refuses it, or this outbox
     * is closed. {@code onStored} and {@code onRefused} run on the io thread.
     */
    public void deliver(Entry entry, Consumer<Message> onStored, Consumer<String> onRefused) {
        Entry trying = entry.withFailure("");
        io.execute(() -> {
            Backoff backoff = backoffs.get();
            while (!closed && !Thread.currentThread().isInterrupted()) {
                long firings = retryNow.firings();
                try {
                    Message stored = api.send(trying.peerId(), trying.text(), trying.clientMessageId()).getMessage();
                    confirmed(trying.clientMessageId());
                    onStored.accept(stored);
                    return;
                } catch (RuntimeException e) {
                    if (closed) {
                        // The app is stopping and took the connection down: not the server's answer.
                        return;
                    }
                    if (!ApiErrors.isRetryable(e)) {
                        String reason = ApiErrors.describe(e, api.serverAddress());
                        save(trying.withFailure(reason));
                        onRefused.accept(reason);
                        return;
                    }
                    if (retryNow.awaitFiringSince(firings, backoff.next())) {
                        backoff.reset();
                    }
                }
            }
        });
    }

    /** Starts delivering every send that was still being tried when the app last stopped. */
    public void resume(Consumer<Message> onStored) {
        for (Entry entry : entries()) {
            if (!entry.failed()) {
                deliver(entry, onStored, reason -> { });
            }
        }
    }

    private synchronized void save(Entry entry) {
        try {
            Preferences child = node.node(entry.clientMessageId());
            child.put(PEER, entry.peerId());
            child.put(TEXT, entry.text());
            child.putLong(CREATED_AT, entry.createdAt().toEpochMilli());
            child.put(FAILURE, entry.failure());
            node.flush();
        } catch (BackingStoreException | IllegalStateException e) {
            // Delivery goes on; only surviving a restart is lost.
        }
    }

    /** Stops the retry loops (at sign-out or exit); what is unconfirmed stays for the next start. */
    @Override
    public void close() {
        closed = true;
        retryNow();
    }
}
