package dev.messenger.desktop.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * What the app remembers between starts (java.util.prefs): the last server address, the session
 * token (so the next start signs straight in), the theme, and each account's unconfirmed sends.
 */
public final class SessionStore {
    public static final String DEFAULT_SERVER = "localhost:8080";
    private static final String SERVER = "server";
    private static final String TOKEN = "token";
    private static final String DARK_THEME = "darkTheme";
    private static final String OUTBOX = "outbox";

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

    /**
     * Where this account's unconfirmed sends are kept: a node per server and user (a hash of both,
     * since node names are short), so two accounts never see each other's.
     */
    public Preferences outboxNode(Session session) {
        byte[] key = (session.serverAddress() + "\n" + session.me().getId()).getBytes(StandardCharsets.UTF_8);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return preferences.node(OUTBOX).node(HexFormat.of().formatHex(digest, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
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
