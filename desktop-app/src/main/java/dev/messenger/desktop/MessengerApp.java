package dev.messenger.desktop;

import dev.messenger.desktop.session.SessionStore;
import dev.messenger.desktop.session.TokenFile;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * The JavaFX application: one window.
 *
 * <p>With {@value #EXIT_AFTER_START} (smoke tests, start-up measurement) it shows the window on
 * throw-away preferences, prints {@code Messenger window shown after N ms} (from JVM start) once
 * the first frame is laid out, and exits with status 0.
 */
public final class MessengerApp extends Application {
    static final String EXIT_AFTER_START = "--exit-after-start";
    private DesktopApp app;

    @Override
    public void start(Stage stage) {
        boolean exitAfterStart = getParameters().getRaw().contains(EXIT_AFTER_START);
        app = new DesktopApp(stage, exitAfterStart ? throwAwayStore() : SessionStore.forUser(),
                link -> getHostServices().showDocument(link.toString()));
        app.start();
        if (exitAfterStart) {
            exitAfterFirstFrame(stage);
        }
    }

    @Override
    public void stop() {
        if (app != null) {
            app.close();
        }
    }

    /**
     * Preferences of their own, emptied first, and a token file nobody wrote, so a smoke run never
     * sees or changes the user's session.
     */
    private static SessionStore throwAwayStore() {
        Preferences preferences = Preferences.userRoot().node("dev/messenger/desktop-smoke");
        try {
            preferences.clear();
            Path dir = Files.createTempDirectory("messenger-smoke-");
            dir.toFile().deleteOnExit();
            return new SessionStore(preferences, new TokenFile(dir.resolve("session")));
        } catch (BackingStoreException | IOException e) {
            throw new IllegalStateException("Cannot set up a throw-away session store", e);
        }
    }

    /** After the first pulse that lays the shown window out (its first frame), reports and exits. */
    private static void exitAfterFirstFrame(Stage stage) {
        stage.getScene().addPostLayoutPulseListener(new Runnable() {
            @Override
            public void run() {
                if (!stage.isShowing()) {
                    return;
                }
                stage.getScene().removePostLayoutPulseListener(this);
                // Runs after this pulse, once its frame has been handed to the renderer.
                Platform.runLater(() -> {
                    long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
                    System.out.println("Messenger window shown after " + ms + " ms");
                    Platform.exit();
                });
            }
        });
    }
}
