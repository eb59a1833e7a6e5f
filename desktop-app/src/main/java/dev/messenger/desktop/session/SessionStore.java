package dev.messenger.desktop.session;

import dev.messenger.desktop.connection.ServerAddress;
import dev.messenger.desktop.connection.ServerEndpoint;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * What the app remembers between starts. The session token (so the next start signs straight in)
 * lives in a {@link TokenFile} only the user can read; the rest, which is no secret, in
 * java.util.prefs: the last server, the certificate file trusted for each server, the theme, the
 * notification choices, the window's place and size, and each account's unconfirmed sends.
 */
public final class SessionStore {
    public static final String DEFAULT_SERVER = "localhost:8080";
    private static final Logger LOG = Logger.getLogger(SessionStore.class.getName());
    private static final String SERVER = "server";
    /** Where versions before the token file kept the token; moved out on first read. */
    private static final String LEGACY_TOKEN = "token";
    private static final String DARK_THEME = "darkTheme";
    private static final String NOTIFICATIONS = "notifications";
    private static final String SOUND = "sound";
    private static final String OUTBOX = "outbox";
    private static final String SERVERS = "servers";
    private static final String CERTIFICATE = "certificate";
    private static final String WINDOW = "window";

    private final Preferences preferences;
    private final TokenFile tokenFile;

    public SessionStore(Preferences preferences, TokenFile tokenFile) {
        this.preferences = preferences;
        this.tokenFile = tokenFile;
    }

    /** The app's own node in the user's preferences and the token file in the user's config folder. */
    public static SessionStore forUser() {
        return new SessionStore(Preferences.userRoot().node("dev/messenger/desktop"), TokenFile.inUserConfig());
    }

    /** A session saved by an earlier start: the server it is for, with the certificate trusted there. */
    public record Saved(ServerEndpoint server, String token) {
        @Override
        public String toString() {
            return "Saved[" + server + "]";
        }
    }

    /** The server of the last sign-in, as the user would type it. */
    public String lastServer() {
        return preferences.get(SERVER, DEFAULT_SERVER);
    }

    public Optional<Saved> savedSession() {
        moveLegacyToken();
        return tokenFile.read()
                .filter(lines -> lines.size() == 2 && !lines.get(1).isBlank())
                .flatMap(lines -> {
                    try {
                        ServerAddress address = ServerAddress.parse(lines.get(0), true);
                        return Optional.of(new Saved(endpoint(address), lines.get(1)));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                });
    }

    /** Remembers a sign-in: the token for the next start, the server and the certificate trusted for it. */
    public void remember(Session session) {
        ServerEndpoint server = session.server();
        preferences.put(SERVER, server.address().toString());
        Preferences node = serverNode(server.address());
        server.trustedCertificate().ifPresentOrElse(
                file -> node.put(CERTIFICATE, file.toString()),
                () -> node.remove(CERTIFICATE));
        flush();
        try {
            tokenFile.write(List.of(server.address().toString(), session.token()));
        } catch (UncheckedIOException e) {
            LOG.log(Level.WARNING, "The session is not saved; the next start asks to sign in again", e);
        }
    }

    public void forgetToken() {
        try {
            tokenFile.delete();
        } catch (UncheckedIOException e) {
            LOG.log(Level.WARNING, "The saved session could not be deleted", e);
        }
    }

    /** The server with the certificate file remembered for it, if any. */
    public ServerEndpoint endpoint(ServerAddress address) {
        String file = serverNode(address).get(CERTIFICATE, "");
        try {
            return new ServerEndpoint(address, file.isEmpty() ? Optional.empty() : Optional.of(Path.of(file)));
        } catch (InvalidPathException e) {
            return ServerEndpoint.of(address);
        }
    }

    /**
     * Where this account's unconfirmed sends are kept: a node per server and user (a hash of both,
     * since node names are short), so two accounts never see each other's.
     */
    public Preferences outboxNode(Session session) {
        return preferences.node(OUTBOX).node(hash(session.server().address() + "\n" + session.me().getId()));
    }

    public boolean darkTheme() {
        return preferences.getBoolean(DARK_THEME, false);
    }

    public void setDarkTheme(boolean dark) {
        preferences.putBoolean(DARK_THEME, dark);
        flush();
    }

    public boolean notificationsOn() {
        return preferences.getBoolean(NOTIFICATIONS, true);
    }

    public void setNotificationsOn(boolean on) {
        preferences.putBoolean(NOTIFICATIONS, on);
        flush();
    }

    public boolean soundOn() {
        return preferences.getBoolean(SOUND, true);
    }

    public void setSoundOn(boolean on) {
        preferences.putBoolean(SOUND, on);
        flush();
    }

    /** The window as it was left at the last quit, if it was ever left. */
    public Optional<WindowBounds> windowBounds() {
        Preferences node = preferences.node(WINDOW);
        double width = node.getDouble("width", 0);
        double height = node.getDouble("height", 0);
        if (width <= 0 || height <= 0) {
            return Optional.empty();
        }
        return Optional.of(new WindowBounds(node.getDouble("x", 0), node.getDouble("y", 0), width, height,
                node.getBoolean("maximized", false)));
    }

    public void rememberWindow(WindowBounds bounds) {
        Preferences node = preferences.node(WINDOW);
        node.putDouble("x", bounds.x());
        node.putDouble("y", bounds.y());
        node.putDouble("width", bounds.width());
        node.putDouble("height", bounds.height());
        node.putBoolean("maximized", bounds.maximized());
        flush();
    }

    private Preferences serverNode(ServerAddress address) {
        return preferences.node(SERVERS).node(hash(address.toString()));
    }

    /** Earlier versions kept the token in the preferences file, readable by other users on some systems. */
    private void moveLegacyToken() {
        String token = preferences.get(LEGACY_TOKEN, "");
        if (token.isEmpty()) {
            return;
        }
        try {
            tokenFile.write(List.of(lastServer(), token));
        } catch (UncheckedIOException e) {
            LOG.log(Level.WARNING, "The saved session could not be moved to " + tokenFile.path(), e);
        }
        preferences.remove(LEGACY_TOKEN);
        flush();
    }

    private static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private void flush() {
        try {
            preferences.flush();
        } catch (BackingStoreException e) {
            // Preferences are a convenience: the app works without them, it only forgets more.
        }
    }
}
