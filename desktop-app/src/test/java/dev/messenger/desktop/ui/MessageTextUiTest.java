package dev.messenger.desktop.ui;

import atlantafx.base.theme.PrimerLight;
import dev.messenger.desktop.text.EmojiIndex;
import dev.messenger.desktop.text.MessageText;
import dev.messenger.desktop.text.OneLineText;
import dev.messenger.desktop.text.TextViews;
import javafx.application.Application;
import javafx.event.Event;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.PickResult;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message's text as a person uses it: selecting with the mouse, copying, clicking a link, the
 * right-click menu, and the emoji drawn as images.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class MessageTextUiTest {
    private static final String STYLESHEET = Objects.requireNonNull(
            MessageTextUiTest.class.getResource("/dev/messenger/desktop/messenger.css")).toExternalForm();
    private static final String MESSAGE = "Hello 👋🏽 world, see https://example.org/x?a=1 and 🎉";

    private final FxRobot robot = new FxRobot();
    private final List<URI> opened = new CopyOnWriteArrayList<>();
    private Stage stage;
    private MessageText text;
    private TextField elsewhere;

    @BeforeAll
    static void startToolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
        WaitForAsyncUtils.asyncFx(() -> Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet()))
                .get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void show() throws Exception {
        fx(() -> {
            text = new TextViews(EmojiIndex.bundled(), opened::add).messageText();
            text.setText(MESSAGE);
            elsewhere = new TextField();
            VBox root = new VBox(20, text, elsewhere);
            root.setStyle("-fx-padding: 20;");
            Scene scene = new Scene(root, 420, 200);
            scene.getStylesheets().add(STYLESHEET);
            stage = new Stage();
            stage.setScene(scene);
            stage.show();
            stage.toFront();
            return null;
        });
    }

    @AfterEach
    void close() throws Exception {
        fx(() -> {
            Window.getWindows().stream().filter(window -> window instanceof ContextMenu).toList().forEach(Window::hide);
            stage.close();
            return null;
        });
    }

    @Test
    void emojiAreImagesAndTheTextAroundThemIsText() throws Exception {
        List<Node> emoji = List.copyOf(text.lookupAll(".emoji"));
        assertEquals(2, emoji.size(), "👋🏽 and 🎉");
        for (Node glyph : emoji) {
            ImageView image = (ImageView) glyph.lookup(".image-view");
            assertFalse(image.getImage().isError(), "the image loads");
            assertEquals(20, image.getFitHeight());
            assertTrue(glyph.getBoundsInParent().getHeight() > 0, "and is drawn");
        }
        assertEquals("👋🏽", emoji.getFirst().getAccessibleText(), "a screen reader reads the emoji itself");

        fx(() -> {
            text.setText("🎉 🎉");
            return null;
        });
        assertEquals(32, ((ImageView) text.lookup(".emoji .image-view")).getFitHeight(), "alone, emoji are drawn large");
    }

    @Test
    void draggingSelectsAndCtrlCCopiesTheOriginalCharacters() throws Exception {
        Bounds hello = screenBounds(firstText("Hello"));
        Bounds wave = screenBounds(text.lookup(".emoji"));
        robot.drag(hello.getMinX() + 1, hello.getCenterY(), MouseButton.PRIMARY)
                .dropTo(wave.getMaxX() - 2, wave.getCenterY());
        assertEquals("Hello 👋🏽", text.getSelectedText(), "the emoji counts with its skin tone");
        robot.press(KeyCode.CONTROL, KeyCode.C).release(KeyCode.C, KeyCode.CONTROL);
        assertEquals("Hello 👋🏽", clipboard());
        assertFalse(text.lookup(".text-selection").getBoundsInParent().isEmpty(), "the selection is drawn");

        robot.clickOn(elsewhere);
        assertEquals("", text.getSelectedText(), "the selection goes when another control takes the focus");
    }

    @Test
    void doubleClickSelectsAWordAndTripleClickTheMessage() throws Exception {
        Bounds hello = screenBounds(firstText("Hello"));
        robot.moveTo(hello.getMinX() + 8, hello.getCenterY()).doubleClickOn(MouseButton.PRIMARY);
        assertEquals("Hello", text.getSelectedText());
        robot.moveTo(hello.getMinX() + 8, hello.getCenterY()).clickOn(MouseButton.PRIMARY).clickOn(MouseButton.PRIMARY)
                .clickOn(MouseButton.PRIMARY);
        assertEquals(MESSAGE, text.getSelectedText());
    }

    @Test
    void aClickOnALinkOpensItAndAClickBesideItDoesNot() throws Exception {
        Text link = (Text) text.lookup(".message-link");
        robot.clickOn(link);
        assertEquals(List.of(URI.create("https://example.org/x?a=1")), opened);

        robot.clickOn(firstText("Hello"));
        assertEquals(1, opened.size(), "plain text opens nothing");
    }

    @Test
    void theRightClickMenuCopiesTheLinkOrTheText() throws Exception {
        rightClick(text.lookup(".message-link"));
        assertEquals(List.of("Copy text", "Open link", "Copy link", "Select all"), menuItems());
        robot.clickOn("Copy link");
        assertEquals("https://example.org/x?a=1", clipboard());
        assertTrue(opened.isEmpty(), "copying opens nothing");

        rightClick(firstText("Hello"));
        assertEquals(List.of("Copy text", "Select all"), menuItems(), "no link under the pointer");
        robot.clickOn("Copy text");
        assertEquals(MESSAGE, clipboard(), "the whole message when nothing is selected");
    }

    @Test
    void aPreviewTooLongForItsLineEndsWithAnEllipsisAfterAWholeCharacter() throws Exception {
        OneLineText preview = fx(() -> {
            OneLineText line = new TextViews(EmojiIndex.bundled(), opened::add).oneLineText();
            line.setText("You: 🎉 the build is up, smoke tests passed on my phone, light and dark theme");
            line.setMaxWidth(Double.MAX_VALUE);
            ((VBox) stage.getScene().getRoot()).getChildren().add(line);
            return line;
        });
        Node ellipsis = preview.lookupAll(".text-run").stream().filter(node -> ((Text) node).getText().equals("…"))
                .findFirst().orElseThrow();
        assertTrue(ellipsis.isVisible(), "cut");
        assertTrue(ellipsis.getBoundsInParent().getMaxX() <= preview.getWidth() + 0.5, "the … inside the line");
        assertEquals(1, preview.lookupAll(".emoji").size(), "the emoji is an image in the preview too");

        fx(() -> {
            preview.setText("You: 🎉 short");
            return null;
        });
        assertFalse(ellipsis.isVisible(), "a short text is whole");
        assertEquals("You: 🎉 short", preview.getText());
    }

    /**
     * What the desktop sends on a right click (or the menu key): headless Monocle has no context
     * menu events, so the test sends the one the platform would, at the node's centre.
     */
    private static void rightClick(Node node) throws Exception {
        Bounds screen = screenBounds(node);
        fx(() -> {
            Bounds local = node.getBoundsInLocal();
            Event.fireEvent(node, new ContextMenuEvent(ContextMenuEvent.CONTEXT_MENU_REQUESTED,
                    local.getCenterX(), local.getCenterY(), screen.getCenterX(), screen.getCenterY(), false,
                    new PickResult(node, local.getCenterX(), local.getCenterY())));
            return null;
        });
    }

    private List<String> menuItems() throws Exception {
        return fx(() -> Window.getWindows().stream()
                .filter(window -> window instanceof ContextMenu && window.isShowing())
                .flatMap(window -> ((ContextMenu) window).getItems().stream())
                .map(MenuItem::getText)
                .filter(Objects::nonNull)
                .toList());
    }

    private Text firstText(String startingWith) {
        return text.lookupAll(".text-run").stream().map(Text.class::cast)
                .filter(node -> node.getText().startsWith(startingWith)).findFirst().orElseThrow();
    }

    private static Bounds screenBounds(Node node) {
        return node.localToScreen(node.getBoundsInLocal());
    }

    private static String clipboard() throws Exception {
        return fx(() -> Clipboard.getSystemClipboard().getString());
    }

    private static <T> T fx(Callable<T> action) throws Exception {
        T result = WaitForAsyncUtils.asyncFx(action).get(10, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        return result;
    }
}
