package dev.messenger.desktop.ui;

import dev.messenger.desktop.text.MessageText;
import dev.messenger.desktop.text.OneLineText;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextInputControl;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** Drives one window of the app (the main window, or a dialog) as a person would: clicks, typing, keys. */
class StageDriver {
    static final long WAIT_SECONDS = 30;

    final Stage stage;
    private final FxRobot robot;
    private final String name;

    /** @param name how failures name the window, e.g. "window alice" */
    StageDriver(FxRobot robot, Stage stage, String name) {
        this.robot = robot;
        this.stage = stage;
        this.name = name;
    }

    <T extends Node> T node(String query) {
        return robot.from(stage.getScene().getRoot()).lookup(query).query();
    }

    Set<Node> all(String query) {
        return robot.from(stage.getScene().getRoot()).lookup(query).queryAll();
    }

    boolean hasNode(String query) {
        return !all(query).isEmpty();
    }

    /** Replaces a text field's content by clicking it and typing, as a person would. */
    void type(String query, String text) {
        TextInputControl field = node(query);
        focus();
        robot.clickOn(field);
        robot.interact(field::selectAll);
        robot.eraseText(1);
        robot.write(text);
    }

    void click(String query) {
        click((Node) node(query));
    }

    void click(Node node) {
        focus();
        robot.clickOn(node);
    }

    /** Presses a key in this window (the headless platform sends keys to the window it thinks is focused). */
    void press(KeyCode key) {
        focus();
        robot.push(key);
    }

    private void focus() {
        robot.interact(stage::requestFocus);
    }

    void waitUntil(String what, Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, condition);
        } catch (TimeoutException e) {
            Path shot = screenshot("timeout-" + name.replace(' ', '-'));
            throw new AssertionError("Timed out after " + WAIT_SECONDS + " s waiting until " + what + " in " + name
                    + " (screenshot: " + shot + ")", e);
        }
    }

    /** Saves what the window shows as a PNG under target/ui-screenshots; null when that failed. */
    Path screenshot(String fileName) {
        Path file = Path.of("target", "ui-screenshots", fileName + ".png");
        try {
            Files.createDirectories(file.getParent());
            WritableImage image = WaitForAsyncUtils.asyncFx(() -> stage.getScene().snapshot(null)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
        } catch (Exception e) {
            return null;
        }
        return file;
    }

    /** True when some labeled node (or message text) matching the query shows a text accepted by the predicate. */
    boolean shows(String query, Predicate<String> text) {
        return all(query).stream().anyMatch(node -> textOf(node) != null && text.test(textOf(node)));
    }

    /** What a labeled node or a message's text shows; null for other nodes. */
    static String textOf(Node node) {
        return switch (node) {
            case Labeled labeled -> labeled.getText();
            case MessageText message -> message.getText();
            case OneLineText line -> line.getText();
            default -> null;
        };
    }

    /**
     * The node matching the query that shows the text and is on screen: list views keep spare cells
     * (empty, or detached from the scene) that match the same query, and a click on one fails.
     */
    Node showing(String query, Predicate<String> text) {
        return all(query).stream()
                .filter(node -> node.getScene() != null && textOf(node) != null && text.test(textOf(node)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No " + query + " showing the expected text in " + name));
    }

    void interact(Runnable action) {
        robot.interact(action);
    }
}
