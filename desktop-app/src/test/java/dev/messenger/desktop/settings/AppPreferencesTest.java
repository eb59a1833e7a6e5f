package dev.messenger.desktop.settings;

import dev.messenger.desktop.session.SessionStore;
import dev.messenger.desktop.session.TokenFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppPreferencesTest {
    private final Preferences node = Preferences.userRoot().node("dev/messenger/desktop-tests/" + UUID.randomUUID());
    @TempDir
    Path dir;

    @AfterEach
    void remove() throws Exception {
        node.removeNode();
    }

    private AppPreferences load() {
        return new AppPreferences(new SessionStore(node, new TokenFile(dir.resolve("session"))));
    }

    @Test
    void notificationsAndSoundAreOnUntilTurnedOffAndTheChoicesAreKept() {
        AppPreferences first = load();
        assertTrue(first.notifications().get());
        assertTrue(first.sound().get());
        assertFalse(first.darkTheme().get());
        first.notifications().set(false);
        first.sound().set(false);
        first.darkTheme().set(true);

        AppPreferences next = load();
        assertFalse(next.notifications().get());
        assertFalse(next.sound().get());
        assertTrue(next.darkTheme().get());
    }
}
