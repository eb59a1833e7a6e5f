package dev.messenger.desktop.ui;

import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message typed while the server is away goes out as soon as the app is connected again, not
 * when its own back-off (or grpc's reconnect back-off, which grows to minutes) next fires; and
 * "Retry now" beside the connection status reconnects at once.
 */
class ResendUiTest extends UiTest {
    /**
     * How long the server stays away: long enough for the old behaviour to show (the unary
     * channel's reconnect back-off passes 10 s, the outbox's 15 s), short enough for a quick test.
     */
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    /** "At once" with room for a slow machine; the waits it replaces were 15 s to 2 min. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @Test
    void aPendingMessageIsSentAsSoonAsTheAppIsConnectedAgain(TestBackend backend) throws Exception {
        OwnServer server = opened.add(new OwnServer(backend));
        var channel = backend.newChannel();
        opened.add(channel::shutdownNow);
        TestUser peer = TestUser.create(channel, "hana");

        AppWindow ivan = opened.window("ivan");
        ivan.register(server.target(), "ivan_" + UUID.randomUUID().toString().substring(0, 8), "Ivan", "correct horse battery");
        ivan.openConversationWith(peer.username());

        server.stop();
        ivan.waitUntil("the app notices", () -> !ivan.shows("#connectionStatus", "Connected"::equals));
        ivan.type("#composer", "sent when the server is back");
        ivan.press(KeyCode.ENTER);
        ivan.waitUntil("shown as sending", () -> ivan.shows(".message-meta", meta -> meta.contains("sending")));
        Thread.sleep(OUTAGE.toMillis());
        assertTrue(ivan.shows(".message-meta", meta -> meta.contains("sending")), "still pending while the server is away");

        server.start();
        // As a person would who knows the server is back: the feed reconnects at once, so what is
        // measured is only how long the pending send lags behind it.
        ivan.click("#reconnectNow");
        ivan.waitUntil("connected again", () -> ivan.shows("#connectionStatus", "Connected"::equals));
        long connectedAt = System.nanoTime();
        ivan.waitUntil("the message is sent", () -> !ivan.shows(".message-meta", meta -> meta.contains("sending")));
        Duration after = Duration.ofNanos(System.nanoTime() - connectedAt);
        assertTrue(after.compareTo(PROMPTLY) < 0, "sent " + after.toMillis() + " ms after the app showed Connected");
    }
}
