package dev.messenger.desktop;

import javafx.application.Application;

/**
 * Starts the app. A separate class from the Application subclass, so the app also starts from a
 * plain class path (the JavaFX launcher refuses to start an Application main class that way).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Application.launch(MessengerApp.class, args);
    }
}
