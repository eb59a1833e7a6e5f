package dev.messenger.desktop.session;

import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * What the app remembers between starts (java.util.prefs): the last server address, the session
 * token (so the next start signs straight in) and the theme.
 */
public final class SessionStore {
    public static final String DEFAULT_SERVER = "localhost:8080";
    private static final String SERVER = "server";
    private static final String TOKEN = "token";
    private static final String DARK_THEME = "darkTheme";

    private final Preferences preferences;

    public SessionStore(Preferences preferences) {
        this.preferences = preferences;
    }

    /** The app's own node in the user's preferences. */
    public static SessionStore forUser() {
        return new SessionStore(Preferences.userRoot().node("dev/messenger/desktop"));
    }

    public record Saved(String serverAddress, String token) {
        @Override
        public String toString() {
            return "Saved[" + serverAddress + "]";
        }
    }

    public String lastServer() {
        return preferences.get(SERVER, DEFAULT_SERVER);
    }

    public Optional<Saved> savedSession() {
        String token = preferences.get(TOKEN, "");
        return token.isEmpty() ? Optional.empty() : Optional.of(new Saved(lastServer(), token));
    }

    public void remember(Session session) {
        preferences.put(SERVER, session.serverAddress());
        preferences.put(TOKEN, session.token());
        flush();
    }

    public void forgetToken() {
        preferences.remove(TOKEN);
        flush();
    }

    public boolean darkTheme() {
        return preferences.getBoolean(DARK_THEME, false);
    }

    public void setDarkTheme(boolean dark) {
        preferences.putBoolean(DARK_THEME, dark);
        flush();
    }

    private void flush() {
        try {
            preferences.flush();
        } catch (BackingStoreException e) {
            // Preferences are a convenience: the app works without them, it only forgets more.
        }
    }
}
