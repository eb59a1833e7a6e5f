package dev.messenger.desktop.connection;

import dev.messenger.api.v1.FeedMessage;

/** What the feed reports. Called on the feed's own thread, never on the JavaFX thread. */
public interface FeedListener {
    /** The next entry of the feed: each seq once, in order. */
    void onMessage(FeedMessage message);

    void onStatus(ConnectionStatus status);

    /** The server no longer accepts the session's token; the feed has stopped. */
    void onSignedOut();
}
