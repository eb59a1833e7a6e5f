package dev.messenger.desktop.ui;

import dev.messenger.api.v1.MarkReadRequest;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.api.v1.SendMessageResponse;
import dev.messenger.api.v1.UpdateProfileRequest;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import io.grpc.ManagedChannel;
import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scrolling in a conversation, in the real app against the real backend: it opens on the newest
 * message, or on the first unread one under an "N new messages" line; at the bottom new messages
 * scroll into view; the wheel moves by lines, also through a long message after hundreds of
 * arrivals; a reader further up keeps their place when a message arrives, also across switching
 * conversations.
 * Conversations are filled over gRPC, not through the UI; where the list is looked at, only the
 * rows actually in view count.
 */
class ConversationScrollUiTest extends UiTest {
    /** A line of a conversation between the app's user and a peer. */
    private record Line(boolean mine, String text) {
    }

    /** A conversation of a product team, for tests whose screenshots go into the documentation. */
    private static final List<Line> DIALOG = List.of(
            new Line(false, "Morning! Did you get a chance to look at the release notes?"),
            new Line(true, "Yes, just finished: https://example.org/notes/2.4 has two small typos, otherwise good."),
            new Line(false, "Great, I'll fix them before lunch 👍"),
            new Line(true, "Are we still shipping on Thursday?"),
            new Line(false, "That's the plan, unless the store review takes longer than last time."),
            new Line(false, "Last time it took almost two days."),
            new Line(true, "Then let's submit today, to be safe."),
            new Line(false, "Agreed. I'll prepare the build this afternoon."),
            new Line(true, "Thanks! Ping me when it's up and I'll run the smoke tests on my laptop."),
            new Line(false, "Will do."),
            new Line(true, "Also: who's writing the announcement?"),
            new Line(false, "Carol offered to draft it. We review it together tomorrow morning."),
            new Line(true, "Perfect 🎉"));

    private ManagedChannel channel;

    @BeforeEach
    void connect(TestBackend backend) {
        channel = backend.newChannel();
        opened.add(channel::shutdownNow);
    }

    @Test
    void theNewestMessageIsInViewWhenOpenedAfterSendingAndWhenOneArrives(TestBackend backend) throws Exception {
        OwnServer server = opened.add(new OwnServer(backend));
        TestUser me = TestUser.create(channel, "reader");
        TestUser peer = TestUser.create(channel, "writer");
        String newest = sendAll(peer, me, 300, i -> "message " + i);
        markRead(me, peer, 0);

        AppWindow window = opened.signedIn("reader", server.target(), me);
        open(window, "Test writer");
        window.waitUntil("the newest message is in view", () -> window.wholeInView(newest));

        window.type("#composer", "my answer");
        window.press(KeyCode.ENTER);
        window.waitUntil("the sent message is in view", () -> window.wholeInView("my answer"));
        peer.send(channel, me, "one more from me", null);
        window.waitUntil("the arrival is in view", () -> window.wholeInView("one more from me"));

        server.stop();
        window.waitUntil("the app notices", () -> !window.shows("#connectionStatus", "Connected"::equals));
        window.type("#composer", "written offline");
        window.press(KeyCode.ENTER);
        window.waitUntil("the pending message is in view", () -> window.wholeInView("written offline")
                && window.shows(".message-meta", meta -> meta.contains("sending")));
    }

    @Test
    void theWheelMovesByLinesThroughALongNewestMessageAfterHundredsOfArrivals(TestBackend backend) throws Exception {
        List<String> sizeWarnings = new CopyOnWriteArrayList<>();
        Logger controls = Logger.getLogger("javafx.scene.control");
        Handler warnings = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage().contains("maxCellCount")) {
                    sizeWarnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        controls.addHandler(warnings);
        opened.add(() -> controls.removeHandler(warnings));
        TestUser me = TestUser.create(channel, "reader");
        TestUser peer = TestUser.create(channel, "writer");
        String newestEarlier = sendAll(peer, me, 300, i -> "earlier " + i);
        markRead(me, peer, 0);

        AppWindow window = opened.signedIn("reader", backend.target(), me);
        // A small window: more rows than the view is pixels high, when the list's size warnings can show.
        window.interact(() -> window.stage.setHeight(480));
        open(window, "Test writer");
        window.waitUntil("the newest message is in view", () -> window.wholeInView(newestEarlier));
        sendAll(peer, me, 299, i -> "arrival " + i);
        // The newest message taller than the view, with hundreds of rows above it the list has not measured.
        String longText = "long " + "words ".repeat(665);
        peer.send(channel, me, longText, null);
        window.waitUntil("the end of the newest message is in view", () -> window.rowsInView().getLast() instanceof AppWindow.Row newest
                && newest.text().equals(longText) && Math.abs(newest.bottom() - newest.viewportHeight()) < 1);
        assertEquals(List.of(), sizeWarnings, "the list's size calculations hold while messages arrive");

        List<AppWindow.Row> atBottom = window.settledRows();
        window.wheel(1);
        List<AppWindow.Row> up = window.settledRows();
        assertMovedByLines(atBottom, up, 1, "one notch up");
        window.wheel(-2);
        List<AppWindow.Row> down = window.settledRows();
        assertMovedByLines(up, down, -2, "two notches down");
        assertEquals(atBottom, down, "back at the end of the newest message");
        assertEquals(List.of(), sizeWarnings, "the list's size calculations hold while scrolling");
    }

    @Test
    void aReaderFurtherUpKeepsTheirPlaceWhenAMessageArrivesAndAfterSwitchingConversations(TestBackend backend) throws Exception {
        TestUser me = named(TestUser.create(channel, "alice"), "Alice Walker");
        TestUser bob = named(TestUser.create(channel, "bob"), "Bob Stone");
        TestUser carol = named(TestUser.create(channel, "carol"), "Carol Diaz");
        List<Line> history = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            history.add(DIALOG.get(i % DIALOG.size()));
        }
        history.add(new Line(true, "See you at the review tomorrow, then."));
        say(me, bob, history);
        carol.send(channel, me, "Lunch today?", null);
        markRead(me, bob, 0);
        markRead(me, carol, 0);

        AppWindow window = opened.signedIn("alice", backend.target(), me);
        open(window, "Bob Stone");
        window.waitUntil("the newest message is in view", () -> window.wholeInView("See you at the review tomorrow, then."));
        window.wheel(12);
        AppWindow.Row reading = window.settledRows().getFirst();

        String arrival = "The store approved the build: we can release whenever you like.";
        bob.send(channel, me, arrival, null);
        window.waitUntil("the ↓ 1 new button shows", () -> window.shows("#newBelow", "↓ 1 new"::equals)
                && ((Node) window.node("#newBelow")).isVisible());
        assertSamePlace(reading, window.settledRows().getFirst(), "after the arrival");
        window.waitUntil("unseen, it counts as unread", () -> window.shows(".unread-badge", "1"::equals));
        window.screenshot("conversation-new-button");

        open(window, "Carol Diaz");
        window.waitUntil("the other conversation shows", () -> window.wholeInView("Lunch today?"));
        open(window, "Bob Stone");
        assertSamePlace(reading, window.settledRows().getFirst(), "after switching away and back");

        window.click("#newBelow");
        window.waitUntil("the new message is in view", () -> window.wholeInView(arrival));
        window.waitUntil("the button goes and the message counts as read", () -> !((Node) window.node("#newBelow")).isVisible()
                && !window.hasNode(".unread-badge"));
    }

    @Test
    void aConversationOpensAtTheFirstUnreadMessageUnderTheNewMessagesLine(TestBackend backend) throws Exception {
        TestUser me = named(TestUser.create(channel, "alice"), "Alice Walker");
        TestUser bob = named(TestUser.create(channel, "bob"), "Bob Stone");
        List<Long> read = say(me, bob, DIALOG);
        markRead(me, bob, read.getLast());
        say(me, bob, List.of(
                new Line(false, "Build is up: 2.4.0 (314)."),
                new Line(false, "Smoke tests passed on my phone, light and dark theme ✅"),
                new Line(false, "One thing: the onboarding screen still shows last year's logo."),
                new Line(false, "I made a ticket for it. Not a blocker, I think?"),
                new Line(false, "Can you have a look before I submit? 🙏")));

        AppWindow window = opened.signedIn("alice", backend.target(), me);
        window.waitUntil("5 unread", () -> window.shows(".unread-badge", "5"::equals));
        open(window, "Bob Stone");
        window.waitUntil("the first unread message is in view under the line", () -> window.rowsInView().stream()
                .anyMatch(row -> row.text().equals("Build is up: 2.4.0 (314).") && row.unreadLine().equals("5 new messages")
                        && row.wholeInView()));
        assertEquals(1, window.rowsInView().stream().filter(row -> !row.unreadLine().isEmpty()).count(), "one line");
        window.screenshot("conversation-unread");
        window.waitUntil("in view in the focused window, they are read", () -> !window.hasNode(".unread-badge"));

        switchTheme(window);
        window.waitUntil("the dark theme is on", () -> Application.getUserAgentStylesheet().contains("dark"));
        window.screenshot("conversation-dark");
        // The theme is the whole application's: the tests after this one expect the light one.
        switchTheme(window);
        window.waitUntil("the light theme is back", () -> !Application.getUserAgentStylesheet().contains("dark"));
    }

    private void switchTheme(AppWindow window) {
        window.click("#menu");
        robot.clickOn("Dark theme");
    }

    /**
     * A notch is three lines, and the list counts a line as at most an eighth of its height: the
     * rows move by less than half a view, in the notch's direction (positive: up, to older messages).
     */
    private static void assertMovedByLines(List<AppWindow.Row> before, List<AppWindow.Row> after, int notches, String what) {
        AppWindow.Row then = null;
        AppWindow.Row now = null;
        for (AppWindow.Row row : after) {
            for (AppWindow.Row earlier : before) {
                if (earlier.index() == row.index()) {
                    then = earlier;
                    now = row;
                }
            }
        }
        assertNotNull(now, what + " moves by lines, not screens: before " + texts(before) + ", after " + texts(after));
        double moved = now.top() - then.top();
        double most = Math.abs(notches) * 3 * now.viewportHeight() / 8 + 1;
        assertTrue(Math.signum(moved) == Math.signum(notches) && Math.abs(moved) <= most,
                what + " moved the rows by " + moved + " px (at most " + most + " in its direction): before " + texts(before)
                        + ", after " + texts(after));
    }

    private static void assertSamePlace(AppWindow.Row expected, AppWindow.Row actual, String when) {
        assertEquals(expected.text(), actual.text(), "the first message in view " + when);
        assertEquals(expected.top(), actual.top(), 1, "its distance from the top " + when);
    }

    private static List<String> texts(List<AppWindow.Row> rows) {
        return rows.stream().map(row -> row.text().length() > 20 ? row.text().substring(0, 20) + "…" : row.text()).toList();
    }

    private void open(AppWindow window, String name) {
        window.waitUntil("the conversation with " + name + " opens", () -> {
            if (!window.shows("#chatTitle", name::equals)) {
                try {
                    window.click(window.showing(".conversation-name", name::equals));
                } catch (RuntimeException | AssertionError e) {
                    // Not listed yet, or its row was drawn anew between finding and clicking it: again.
                    return false;
                }
            }
            return window.shows("#chatTitle", name::equals);
        });
    }

    /** Sends a conversation between {@code me} and {@code peer} over gRPC, line by line; returns the message ids. */
    private List<Long> say(TestUser me, TestUser peer, List<Line> lines) {
        List<Long> ids = new ArrayList<>();
        for (Line line : lines) {
            TestUser from = line.mine() ? me : peer;
            ids.add(from.send(channel, line.mine() ? peer : me, line.text(), null).getMessage().getId());
        }
        return ids;
    }

    /**
     * Sends {@code count} messages over gRPC all at once (quick, but not stored in the order given);
     * returns the text of the one stored last.
     */
    private String sendAll(TestUser from, TestUser to, int count, IntFunction<String> text) throws Exception {
        var messages = from.as(MessagesServiceGrpc.newFutureStub(channel));
        List<Future<SendMessageResponse>> sent = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            sent.add(messages.sendMessage(SendMessageRequest.newBuilder().setRecipientId(to.id().toString()).setText(text.apply(i)).build()));
        }
        Message newest = null;
        for (Future<SendMessageResponse> response : sent) {
            Message message = response.get(30, TimeUnit.SECONDS).getMessage();
            if (newest == null || message.getId() > newest.getId()) {
                newest = message;
            }
        }
        return newest.getText();
    }

    private TestUser named(TestUser user, String displayName) {
        user.as(UsersServiceGrpc.newBlockingStub(channel)).updateProfile(UpdateProfileRequest.newBuilder().setDisplayName(displayName).build());
        return user;
    }

    /** Marks {@code peer}'s messages read for {@code reader} up to a message id (0: all). */
    private void markRead(TestUser reader, TestUser peer, long upTo) {
        reader.as(MessagesServiceGrpc.newBlockingStub(channel))
                .markRead(MarkReadRequest.newBuilder().setPeerId(peer.id().toString()).setUpToMessageId(upTo).build());
    }
}
