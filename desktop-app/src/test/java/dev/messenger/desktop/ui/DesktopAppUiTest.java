package dev.messenger.desktop.ui;

import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real desktop app (headless JavaFX) against the real backend on its embedded PostgreSQL and
 * Kafka, driven through its UI with TestFX as a person would.
 */
@ExtendWith(BackendExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DesktopAppUiTest {
    private static final String PASSWORD = "correct horse battery";
    private final FxRobot robot = new FxRobot();
    @RegisterExtension
    final Opened opened = new Opened(robot);

    @BeforeAll
    static void startToolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    private static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void twoPeopleFindEachOtherChatAndGetLivePopups(TestBackend backend) throws Exception {
        String aliceName = unique("alice");
        String bobName = unique("bob");
        AppWindow alice = opened.window("alice");
        alice.register(backend.target(), aliceName, "Alice Walker", PASSWORD);
        AppWindow bob = opened.window("bob");
        bob.register(backend.target(), bobName, "Bob Stone", PASSWORD);
        bob.waitUntil("the feed is live", () -> bob.shows("#connectionStatus", "Connected"::equals));

        alice.type("#search", bobName);
        alice.waitUntil("bob is found", () -> ((ListView<?>) alice.node("#searchResults")).getItems().size() == 1);
        robot.clickOn((Node) alice.node("#searchResults .list-cell"));
        alice.waitUntil("the conversation opens", () -> alice.hasNode("#composer"));
        alice.type("#composer", "Hello Bob, this is Alice");
        alice.press(javafx.scene.input.KeyCode.ENTER);
        alice.waitUntil("the message is sent", () -> alice.shows(".message-text", "Hello Bob, this is Alice"::equals)
                && alice.shows(".message-meta", meta -> !meta.contains("sending")));

        bob.waitUntil("a popup shows Alice's message", () -> !robot.lookup(".toast-preview").queryAll().isEmpty()
                && robot.lookup(".toast-preview").queryAll().stream()
                .anyMatch(node -> ((Label) node).getText().equals("Hello Bob, this is Alice")));
        bob.waitUntil("the unread badge shows 1", () -> bob.shows(".unread-badge", "1"::equals));
        bob.waitUntil("the title counts the unread message", () -> "Messenger (1)".equals(bob.stage.getTitle()));

        Node popup = robot.lookup(".toast-preview").queryAll().stream()
                .filter(node -> ((Label) node).getText().equals("Hello Bob, this is Alice")).findFirst().orElseThrow();
        robot.clickOn(popup);
        bob.waitUntil("the conversation opens with the history", () -> bob.shows(".message-text", "Hello Bob, this is Alice"::equals));
        bob.waitUntil("reading clears the badge", () -> !bob.hasNode(".unread-badge") && "Messenger".equals(bob.stage.getTitle()));

        bob.type("#composer", "Hi Alice!");
        bob.press(javafx.scene.input.KeyCode.ENTER);
        alice.waitUntil("Alice sees the reply", () -> alice.shows(".message-text", "Hi Alice!"::equals));
        assertEquals(2, alice.all(".message-text").size(), "each message shown once");
    }

    @Test
    void aWrongPasswordIsExplainedAndNothingElseHappens(TestBackend backend) throws Exception {
        var channel = backend.newChannel();
        try {
            TestUser existing = TestUser.create(channel, "carol");
            AppWindow window = opened.window("carol");
            window.type("#server", backend.target());
            window.type("#username", existing.username());
            window.type("#password", "not the password");
            window.click("#submit");
            window.waitUntil("the error is shown", () -> window.shows("#loginError", "Wrong username or password"::equals));
            assertFalse(window.hasNode("#conversations"), "still on the connect screen");
            assertTrue(window.tokenFile().read().isEmpty(), "no session remembered");
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void theAppReconnectsAfterTheServerRestartsAndCatchesUpWithoutDuplicates(TestBackend backend) throws Exception {
        OwnServer appServer = new OwnServer(backend);
        opened.add(appServer);
        var channel = backend.newChannel();
        opened.add(channel::shutdownNow);
        TestUser sender = TestUser.create(channel, "dave");
        var messages = sender.as(MessagesServiceGrpc.newBlockingStub(channel));

        String name = unique("erin");
        AppWindow erin = opened.window("erin");
        erin.register(appServer.target(), name, "Erin", PASSWORD);
        erin.waitUntil("connected", () -> erin.shows("#connectionStatus", "Connected"::equals));
        String erinId = userId(backend, name);

        for (int i = 1; i <= 3; i++) {
            messages.sendMessage(SendMessageRequest.newBuilder().setRecipientId(erinId).setText("before " + i).build());
        }
        erin.waitUntil("3 unread before the restart", () -> erin.shows(".unread-badge", "3"::equals));

        appServer.stop();
        erin.waitUntil("the app notices", () -> !erin.shows("#connectionStatus", "Connected"::equals));
        for (int i = 1; i <= 5; i++) {
            messages.sendMessage(SendMessageRequest.newBuilder().setRecipientId(erinId).setText("during " + i).build());
        }
        appServer.start();

        erin.waitUntil("reconnected", () -> erin.shows("#connectionStatus", "Connected"::equals));
        erin.waitUntil("caught up: 8 unread", () -> erin.shows(".unread-badge", "8"::equals));
        robot.clickOn(".conversation-cell");
        erin.waitUntil("all 8 messages shown", () -> erin.all(".message-text").size() == 8);
        List<String> texts = erin.all(".message-text").stream().map(node -> ((Label) node).getText()).sorted().toList();
        assertEquals(List.of("before 1", "before 2", "before 3", "during 1", "during 2", "during 3", "during 4", "during 5"),
                texts, "every message once, none twice");
    }

    @Test
    void aMessageTypedWhileTheServerIsDownIsSentAfterTheAppIsStartedAgain(TestBackend backend) throws Exception {
        OwnServer appServer = new OwnServer(backend);
        opened.add(appServer);
        var channel = backend.newChannel();
        opened.add(channel::shutdownNow);
        TestUser gina = TestUser.create(channel, "gina");

        AppWindow frank = opened.window("frank");
        frank.register(appServer.target(), unique("frank"), "Frank", PASSWORD);
        frank.type("#search", gina.username());
        frank.waitUntil("gina is found", () -> ((ListView<?>) frank.node("#searchResults")).getItems().size() == 1);
        robot.clickOn((Node) frank.node("#searchResults .list-cell"));
        frank.waitUntil("the conversation opens", () -> frank.hasNode("#composer"));

        appServer.stop();
        frank.waitUntil("the app notices", () -> !frank.shows("#connectionStatus", "Connected"::equals));
        frank.type("#composer", "written on the train");
        frank.press(javafx.scene.input.KeyCode.ENTER);
        frank.waitUntil("shown as sending", () -> frank.shows(".message-meta", meta -> meta.contains("sending")));
        frank.quit();

        appServer.start();
        AppWindow again = opened.reopen("frank again", frank);
        again.waitUntil("signed straight in", () -> again.hasNode("#conversations"));
        // Empty list cells carry the style class too: wait for the row that shows gina.
        again.waitUntil("the conversation with gina is listed", () -> again.shows(".conversation-name", "Test gina"::equals));
        robot.clickOn(again.showing(".conversation-name", "Test gina"::equals));
        again.waitUntil("the message is sent", () -> again.shows(".message-text", "written on the train"::equals)
                && !again.shows(".message-meta", meta -> meta.contains("sending")));
        try (var connection = backend.jdbc(); var statement = connection.prepareStatement(
                "SELECT count(*) FROM messages WHERE recipient_id = CAST(? AS uuid) AND body = 'written on the train'")) {
            statement.setString(1, gina.id().toString());
            try (var result = statement.executeQuery()) {
                assertTrue(result.next());
                assertEquals(1, result.getLong(1), "stored once");
            }
        }
        assertEquals(1, again.all(".message-text").size());
    }

    private static String userId(TestBackend backend, String username) throws Exception {
        try (var connection = backend.jdbc(); var statement = connection.prepareStatement("SELECT id FROM users WHERE username = ?")) {
            statement.setString(1, username);
            try (var result = statement.executeQuery()) {
                assertTrue(result.next());
                return result.getString(1);
            }
        }
    }


    static {
        WaitForAsyncUtils.autoCheckException = false;
    }
}
