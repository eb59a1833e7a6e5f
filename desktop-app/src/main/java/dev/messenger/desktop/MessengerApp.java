package dev.messenger.desktop;

import dev.messenger.desktop.session.SessionStore;
import javafx.application.Application;
import javafx.stage.Stage;

/** The JavaFX application: one window. */
public final class MessengerApp extends Application {
    private DesktopApp app;

    @Override
    public void start(Stage stage) {
        app = new DesktopApp(stage, SessionStore.forUser());
        app.start();
    }

    @Override
    public void stop() {
        if (app != null) {
            app.close();
        }
    }
}
