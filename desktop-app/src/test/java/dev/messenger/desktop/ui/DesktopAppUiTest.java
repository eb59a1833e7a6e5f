package dev.messenger.desktop.ui;

import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.desktop.conversations.ConversationItem;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.StackPane;
import javafx.stage.PopupWindow;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real desktop app (headless JavaFX) against the real backend on its embedded PostgreSQL and
 * Kafka, driven through its UI with TestFX as a person would.
 */
class DesktopAppUiTest extends UiTest {
    private static final String PASSWORD = "correct horse battery";

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

        alice.openConversationWith(bobName);
        alice.type("#composer", "Hello Bob, this is Alice");
        alice.press(javafx.scene.input.KeyCode.ENTER);
        alice.waitUntil("the message is sent", () -> alice.shows(".message-text", "Hello Bob, this is Alice"::equals)
                && alice.shows(".message-meta", meta -> !meta.contains("sending")));

        bob.waitUntil("a popup shows Alice's message", () -> !robot.lookup(".toast-preview").queryAll().isEmpty()
                && robot.lookup(".toast-preview").queryAll().stream()
                .anyMatch(node -> "Hello Bob, this is Alice".equals(StageDriver.textOf(node))));
        bob.waitUntil("the unread badge shows 1", () -> bob.shows(".unread-badge", "1"::equals));
        bob.waitUntil("the title counts the unread message and names the account",
                () -> ("Messenger (1) — " + bobName).equals(bob.stage.getTitle()));

        Node popup = robot.lookup(".toast-preview").queryAll().stream()
                .filter(node -> "Hello Bob, this is Alice".equals(StageDriver.textOf(node))).findFirst().orElseThrow();
        robot.clickOn(popup);
        bob.waitUntil("the conversation opens with the history", () -> bob.shows(".message-text", "Hello Bob, this is Alice"::equals));
        bob.waitUntil("reading clears the badge", () -> !bob.hasNode(".unread-badge")
                && ("Messenger — " + bobName).equals(bob.stage.getTitle()));

        bob.type("#composer", "Hi Alice!");
        bob.press(javafx.scene.input.KeyCode.ENTER);
        alice.waitUntil("Alice sees the reply", () -> alice.shows(".message-text", "Hi Alice!"::equals));
        assertEquals(2, alice.all(".message-text").size(), "each message shown once");
    }

    /**
     * Popups come and go while the user types, in another application's window and in the app's
     * other conversation: not a character goes astray, and the focus stays where it was, also when
     * the popups close. The headless platform has no window manager to activate a window that is
     * shown, so the test also checks the popups are of the kind no platform activates; it does keep
     * windows stacked, which shows a window raised when a popup closes.
     */
    @Test
    void popupsNeverTakeTheKeyboardNorBringTheirWindowForward(TestBackend backend) throws Exception {
        var channel = backend.newChannel();
        opened.add(channel::shutdownNow);
        var carol = TestUser.create(channel, "carol").as(MessagesServiceGrpc.newBlockingStub(channel));
        var dave = TestUser.create(channel, "dave").as(MessagesServiceGrpc.newBlockingStub(channel));
        String aliceName = unique("alice");
        AppWindow alice = opened.window("alice");
        alice.register(backend.target(), aliceName, "Alice Walker", PASSWORD);
        alice.waitUntil("the feed is live", () -> alice.shows("#connectionStatus", "Connected"::equals));
        String aliceId = userId(backend, aliceName);

        StageDriver editor = anotherApplication(alice.stage);
        TextInputControl notes = editor.node("#notes");
        editor.type("#notes", "Typing elsewhere ");
        carol.sendMessage(SendMessageRequest.newBuilder().setRecipientId(aliceId).setText("Hello from Carol").build());
        alice.waitUntil("the popup is shown", () -> popupShows("Hello from Carol"));
        assertTrue(popup("Hello from Carol").getScene().getWindow() instanceof PopupWindow, "a window that is never activated");
        robot.write("and on");
        assertEquals("Typing elsewhere and on", notes.getText());
        alice.waitUntil("the popup is gone", () -> !popupShows("Hello from Carol"));
        List<MouseEvent> clicks = new ArrayList<>();
        editor.interact(() -> notes.addEventFilter(MouseEvent.MOUSE_PRESSED, clicks::add));
        robot.clickOn(notes);
        assertEquals(1, clicks.size(), "the other application is still in front of alice's window");
        robot.write(".");
        assertEquals("Typing elsewhere and on.", notes.getText(), "and has the keyboard");
        editor.interact(editor.stage::close);

        alice.waitUntil("carol is listed", () -> alice.shows(".conversation-name", "Test carol"::equals));
        robot.clickOn(alice.showing(".conversation-name", "Test carol"::equals));
        alice.waitUntil("the conversation opens", () -> alice.hasNode("#composer"));
        alice.type("#composer", "To Carol ");
        dave.sendMessage(SendMessageRequest.newBuilder().setRecipientId(aliceId).setText("Hello from Dave").build());
        alice.waitUntil("the popup is shown", () -> popupShows("Hello from Dave"));
        robot.write("and on");
        assertEquals("To Carol and on", ((TextInputControl) alice.node("#composer")).getText());
        assertTrue(alice.node("#composer").isFocused(), "the focus stays in the composer");
        alice.screenshot("popup-while-typing");

        robot.clickOn(popup("Hello from Dave"));
        alice.waitUntil("a click on the popup opens its conversation", () -> alice.shows(".message-text", "Hello from Dave"::equals));
        alice.waitUntil("the one left keeps its draft", () -> alice.shows(".conversation-preview", "Draft: To Carol and on"::equals));
        assertEquals("Test dave", ((ConversationItem) ((ListView<?>) alice.node("#conversations")).getSelectionModel().getSelectedItem())
                .peer().getDisplayName(), "and stays open");
    }

    /** A window with a text area standing for another application, in front of the app's window (over its open conversation). */
    private StageDriver anotherApplication(Stage over) throws Exception {
        Stage stage = WaitForAsyncUtils.asyncFx(() -> {
            TextArea notes = new TextArea();
            notes.setId("notes");
            Stage window = new Stage();
            window.setScene(new Scene(new StackPane(notes), 400, 300));
            window.setX(over.getX() + 400);
            window.setY(over.getY() + 150);
            window.show();
            return window;
        }).get(StageDriver.WAIT_SECONDS, TimeUnit.SECONDS);
        opened.add(() -> WaitForAsyncUtils.asyncFx(stage::close).get(StageDriver.WAIT_SECONDS, TimeUnit.SECONDS));
        return new StageDriver(robot, stage, "another application");
    }

    private boolean popupShows(String text) {
        return popup(text) != null;
    }

    /** The text of a popup that is showing, or null. */
    private Node popup(String text) {
        return robot.lookup(".toast-preview").queryAll().stream()
                .filter(node -> node.getScene() != null && node.getScene().getWindow().isShowing()
                        && text.equals(StageDriver.textOf(node)))
                .findFirst().orElse(null);
    }

    @Test
    void escapeClosesTheConversationAndWhatWasTypedStaysAsItsDraft(TestBackend backend) throws Exception {
        var channel = backend.newChannel();
        opened.add(channel::shutdownNow);
        TestUser hana = TestUser.create(channel, "hana");
        AppWindow ivan = opened.window("ivan");
        ivan.register(backend.target(), unique("ivan"), "Ivan", PASSWORD);
        ivan.openConversationWith(hana.username());
        ivan.type("#composer", "half a thought");

        ivan.press(KeyCode.ESCAPE);
        ivan.waitUntil("back to the placeholder", () -> !ivan.hasNode("#composer")
                && ivan.shows(".label", text -> text.startsWith("Select a conversation")));
        ivan.waitUntil("the sidebar shows the draft", () -> ivan.shows(".conversation-preview", "Draft: half a thought"::equals));
        ivan.screenshot("draft-in-sidebar");

        robot.clickOn(ivan.showing(".conversation-name", "Test hana"::equals));
        ivan.waitUntil("the conversation opens again", () -> ivan.hasNode("#composer"));
        assertEquals("half a thought", ((TextInputControl) ivan.node("#composer")).getText());
        robot.write(", and more");
        ivan.press(KeyCode.ESCAPE);
        ivan.waitUntil("back to the placeholder again", () -> !ivan.hasNode("#composer"));
        ivan.waitUntil("the sidebar shows the longer draft", () -> ivan.shows(".conversation-preview", "Draft: half a thought, and more"::equals));
        assertNull(((ListView<?>) ivan.node("#conversations")).getSelectionModel().getSelectedItem(), "nothing selected");
    }

    @Test
    void theWindowOpensWhereAndAsLargeAsItWasLeftIfThatIsOnAScreen() throws Exception {
        AppWindow first = opened.window("placed");
        first.interact(() -> {
            first.stage.setX(130);
            first.stage.setY(60);
            first.stage.setWidth(900);
            first.stage.setHeight(650);
        });
        first.quit();
        AppWindow again = opened.reopen("placed again", first);
        assertEquals(List.of(130.0, 60.0, 900.0, 650.0),
                List.of(again.stage.getX(), again.stage.getY(), again.stage.getWidth(), again.stage.getHeight()));

        again.interact(() -> again.stage.setX(5000));
        again.quit();
        AppWindow offScreen = opened.reopen("placed off screen", again);
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        assertTrue(screen.contains(offScreen.stage.getX(), offScreen.stage.getY()), "back on the screen");
        assertEquals(List.of(900.0, 650.0), List.of(offScreen.stage.getWidth(), offScreen.stage.getHeight()), "as large as it was");
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
        List<String> texts = erin.all(".message-text").stream().map(StageDriver::textOf).sorted().toList();
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
        frank.openConversationWith(gina.username());

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
}
