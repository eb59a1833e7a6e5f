package dev.messenger.desktop.ui;

import dev.messenger.desktop.DesktopApp;
import dev.messenger.desktop.session.SessionStore;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextInputControl;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/** One real app window for a UI test, with preferences of its own (so tests never touch the user's). */
final class AppWindow implements AutoCloseable {
    static final long WAIT_SECONDS = 30;
    private static final double WINDOW_WIDTH = 1000;
    private static final java.util.concurrent.atomic.AtomicInteger OPEN_WINDOWS = new java.util.concurrent.atomic.AtomicInteger();

    final Stage stage;
    final DesktopApp app;
    private final Preferences preferences;
    private final FxRobot robot;

    private AppWindow(Stage stage, DesktopApp app, Preferences preferences, FxRobot robot) {
        this.stage = stage;
        this.app = app;
        this.preferences = preferences;
        this.robot = robot;
    }

    static AppWindow open(FxRobot robot, String title) throws Exception {
        Preferences preferences = Preferences.userRoot().node("dev/messenger/desktop-tests/" + UUID.randomUUID());
        return open(robot, title, preferences);
    }

    /** Opens a window on existing preferences (e.g. to see a remembered session used). */
    static AppWindow open(FxRobot robot, String title, Preferences preferences) throws Exception {
        int slot = OPEN_WINDOWS.getAndIncrement();
        return WaitForAsyncUtils.asyncFx(() -> {
            Stage stage = new Stage();
            DesktopApp app = new DesktopApp(stage, new SessionStore(preferences));
            app.start();
            // Side by side, never overlapping: the robot clicks at screen positions.
            stage.setX((slot % 2) * WINDOW_WIDTH);
            stage.setY(0);
            stage.setWidth(WINDOW_WIDTH);
            stage.setHeight(720);
            stage.setUserData(title);
            return new AppWindow(stage, app, preferences, robot);
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    Preferences preferences() {
        return preferences;
    }

    <T extends Node> T node(String query) {
        return robot.from(stage.getScene().getRoot()).lookup(query).query();
    }

    Set<Node> all(String query) {
        return robot.from(stage.getScene().getRoot()).lookup(query).queryAll();
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
        focus();
        robot.clickOn((Node) node(query));
    }

    /** Presses a key in this window (the headless platform sends keys to the window it thinks is focused). */
    void press(javafx.scene.input.KeyCode key) {
        focus();
        robot.push(key);
    }

    private void focus() {
        robot.interact(stage::requestFocus);
    }

    void waitUntil(String what, java.util.concurrent.Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            java.nio.file.Path shot = screenshot("timeout-" + stage.getUserData());
            throw new AssertionError("Timed out after " + WAIT_SECONDS + " s waiting until " + what + " in window "
                    + stage.getUserData() + " (screenshot: " + shot + ")", e);
        }
    }

    /** Saves what the window shows as a PNG under target/ui-screenshots. */
    java.nio.file.Path screenshot(String name) {
        java.nio.file.Path file = java.nio.file.Path.of("target", "ui-screenshots", name + ".png");
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            javafx.scene.image.WritableImage image = WaitForAsyncUtils.asyncFx(
                    () -> stage.getScene().snapshot(null)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
        } catch (Exception e) {
            return null;
        }
        return file;
    }

    /** True when some labeled node matching the query shows a text accepted by the predicate. */
    boolean shows(String query, Predicate<String> text) {
        return all(query).stream().anyMatch(node -> node instanceof Labeled labeled && labeled.getText() != null
                && text.test(labeled.getText()));
    }

    /**
     * The node matching the query that shows the text and is on screen: list views keep spare cells
     * (empty, or detached from the scene) that match the same query, and a click on one fails.
     */
    Node showing(String query, Predicate<String> text) {
        return all(query).stream()
                .filter(node -> node.getScene() != null && node instanceof Labeled labeled && labeled.getText() != null
                        && text.test(labeled.getText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No " + query + " showing the expected text in " + stage.getUserData()));
    }

    boolean hasNode(String query) {
        return !all(query).isEmpty();
    }

    /** Registers a new account through the connect screen and waits for the main window. */
    void register(String server, String username, String displayName, String password) {
        click("#toggleMode");
        type("#server", server);
        type("#username", username);
        type("#displayName", displayName);
        type("#password", password);
        click("#submit");
        waitUntil("signed in", () -> hasNode("#conversations"));
    }

    /** Quits the app as a user would, keeping its preferences (for a test that starts it again on them). */
    void quit() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            app.close();
            stage.close();
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        quit();
        try {
            preferences.removeNode();
        } catch (BackingStoreException | IllegalStateException e) {
            // Already gone.
        }
    }
}
