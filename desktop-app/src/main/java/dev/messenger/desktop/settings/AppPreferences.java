package dev.messenger.desktop.settings;

import dev.messenger.desktop.session.SessionStore;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * This computer's choices for the app, whoever is signed in: theme, notifications, sound. Saved as
 * they change; the ☰ menu and the Settings dialog both bind to these.
 */
public final class AppPreferences {
    private final BooleanProperty darkTheme;
    private final BooleanProperty notifications;
    private final BooleanProperty sound;

    public AppPreferences(SessionStore store) {
        darkTheme = new SimpleBooleanProperty(store.darkTheme());
        notifications = new SimpleBooleanProperty(store.notificationsOn());
        sound = new SimpleBooleanProperty(store.soundOn());
        darkTheme.addListener((obs, was, now) -> store.setDarkTheme(now));
        notifications.addListener((obs, was, now) -> store.setNotificationsOn(now));
        sound.addListener((obs, was, now) -> store.setSoundOn(now));
    }

    public BooleanProperty darkTheme() {
        return darkTheme;
    }

    /** Announce new messages outside the open conversation (the unread badges count them either way). */
    public BooleanProperty notifications() {
        return notifications;
    }

    /** With each notification, the desktop's new-message sound (where its notification service plays one). */
    public BooleanProperty sound() {
        return sound;
    }
}
