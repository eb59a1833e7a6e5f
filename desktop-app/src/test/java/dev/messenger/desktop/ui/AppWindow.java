package dev.messenger.desktop.ui;

import dev.messenger.desktop.DesktopApp;
import dev.messenger.desktop.session.SessionStore;
import dev.messenger.desktop.session.TokenFile;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/** One real app window for a UI test, with preferences of its own (so tests never touch the user's). */
final class AppWindow extends StageDriver implements AutoCloseable {
    private static final double WINDOW_WIDTH = 1000;
    private static final java.util.concurrent.atomic.AtomicInteger OPEN_WINDOWS = new java.util.concurrent.atomic.AtomicInteger();

    final DesktopApp app;
    private final Preferences preferences;
    private final TokenFile tokenFile;
    private boolean quit;

    private AppWindow(Stage stage, DesktopApp app, Preferences preferences, TokenFile tokenFile, FxRobot robot) {
        super(robot, stage, "window " + stage.getUserData());
        this.app = app;
        this.preferences = preferences;
        this.tokenFile = tokenFile;
    }

    static AppWindow open(FxRobot robot, String title) throws Exception {
        Preferences preferences = Preferences.userRoot().node("dev/messenger/desktop-tests/" + UUID.randomUUID());
        Path dir = Files.createTempDirectory("messenger-ui-test-");
        return open(robot, title, preferences, new TokenFile(dir.resolve("config").resolve("session")), true);
    }

    /**
     * Opens a window on what an earlier one saved (e.g. to see a remembered session used), where
     * the earlier one was left.
     */
    static AppWindow reopen(FxRobot robot, String title, AppWindow earlier) throws Exception {
        return open(robot, title, earlier.preferences, earlier.tokenFile, false);
    }

    private static AppWindow open(FxRobot robot, String title, Preferences preferences, TokenFile tokenFile, boolean place)
            throws Exception {
        int slot = OPEN_WINDOWS.getAndIncrement();
        return WaitForAsyncUtils.asyncFx(() -> {
            Stage stage = new Stage();
            DesktopApp app = new DesktopApp(stage, new SessionStore(preferences, tokenFile));
            app.start();
            if (place) {
                // Side by side, never overlapping: the robot clicks at screen positions.
                stage.setX((slot % 2) * WINDOW_WIDTH);
                stage.setY(0);
                stage.setWidth(WINDOW_WIDTH);
                stage.setHeight(720);
            }
            stage.setUserData(title);
            return new AppWindow(stage, app, preferences, tokenFile, robot);
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    Preferences preferences() {
        return preferences;
    }

    TokenFile tokenFile() {
        return tokenFile;
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

    /** Finds someone through the search field and opens the conversation with them. */
    void openConversationWith(String username) {
        type("#search", username);
        waitUntil(username + " is found", () -> ((ListView<?>) node("#searchResults")).getItems().size() == 1);
        click("#searchResults .list-cell");
        waitUntil("the conversation opens", () -> hasNode("#composer"));
    }

    /** Quits the app as a user would, keeping its preferences (for a test that starts it again on them). */
    void quit() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            app.close();
            stage.close();
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);
        quit = true;
    }

    @Override
    public void close() throws Exception {
        // Once quit, the app has saved its window; a window reopened on the same preferences may have removed them since.
        if (!quit) {
            quit();
        }
        try {
            preferences.removeNode();
        } catch (BackingStoreException | IllegalStateException e) {
            // Already gone.
        }
        tokenFile.delete();
    }
}
