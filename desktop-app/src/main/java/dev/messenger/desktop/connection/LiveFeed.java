package dev.messenger.desktop.connection;

/** A running feed subscription. */
public interface LiveFeed extends AutoCloseable {
    /** Drops the connection and reconnects at once, resuming after the last seq seen. */
    void reconnectNow();

    @Override
    void close();
}
