package dev.messenger.desktop.session;

import dev.messenger.api.v1.User;
import dev.messenger.desktop.connection.ServerAddress;
import dev.messenger.desktop.connection.ServerEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionStoreTest {
    private final Preferences preferences = Preferences.userRoot().node("dev/messenger/desktop-tests/" + UUID.randomUUID());
    @TempDir
    Path dir;

    @AfterEach
    void removePreferences() throws Exception {
        preferences.removeNode();
    }

    private SessionStore store() {
        return new SessionStore(preferences, new TokenFile(dir.resolve("config/messenger/session")));
    }

    private static Session session(ServerEndpoint server) {
        return new Session(server, "secret-token", User.newBuilder().setId("u1").setUsername("alice").build());
    }

    @Test
    void theTokenIsKeptInAFileOnlyTheUserCanReadAndNotInThePreferences() throws Exception {
        ServerEndpoint server = ServerEndpoint.of(ServerAddress.parse("chat.example.org", false));
        store().remember(session(server));

        Path file = dir.resolve("config/messenger/session");
        assertEquals(List.of("https://chat.example.org", "secret-token"), Files.readAllLines(file));
        assertFalse(List.of(preferences.keys()).stream().anyMatch(key -> preferences.get(key, "").contains("secret-token")),
                "no token among the preferences");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        }
        try (var left = Files.list(file.getParent())) {
            assertEquals(List.of(file), left.toList(), "no temporary file left behind");
        }

        SessionStore.Saved saved = store().savedSession().orElseThrow();
        assertEquals(server, saved.server());
        assertEquals("secret-token", saved.token());
        assertEquals("https://chat.example.org", store().lastServer());

        store().forgetToken();
        assertTrue(store().savedSession().isEmpty());
        assertFalse(Files.exists(file));
    }

    @Test
    void theCertificateTrustedForAServerIsRememberedForThatServerOnly() {
        ServerAddress home = ServerAddress.parse("home.example.net:8443", false);
        Path certificate = dir.resolve("home.crt");
        store().remember(session(new ServerEndpoint(home, Optional.of(certificate))));
        assertEquals(Optional.of(certificate), store().endpoint(home).trustedCertificate());
        assertEquals(Optional.of(certificate), store().savedSession().orElseThrow().server().trustedCertificate());
        assertEquals(Optional.empty(), store().endpoint(ServerAddress.parse("chat.example.org", false)).trustedCertificate());

        store().remember(session(ServerEndpoint.of(home)));
        assertEquals(Optional.empty(), store().endpoint(home).trustedCertificate(), "signing in without it forgets it");
    }

    @Test
    void aTokenAnEarlierVersionKeptInThePreferencesMovesToTheFile() throws Exception {
        preferences.put("server", "localhost:8080");
        preferences.put("token", "old-token");
        SessionStore.Saved saved = store().savedSession().orElseThrow();
        assertEquals("old-token", saved.token());
        assertEquals(ServerAddress.parse("localhost:8080", false), saved.server().address());
        assertEquals("", preferences.get("token", ""), "gone from the preferences");
        assertTrue(Files.readString(dir.resolve("config/messenger/session")).contains("old-token"));
    }

    @Test
    void theWindowIsRememberedAcrossStarts() {
        assertTrue(store().windowBounds().isEmpty(), "a first start opens where a new window goes");
        store().rememberWindow(new WindowBounds(120, 80, 900, 640, true));
        assertEquals(Optional.of(new WindowBounds(120, 80, 900, 640, true)), store().windowBounds());
    }

    @Test
    void aDamagedTokenFileMeansSigningInAgain() throws Exception {
        Path file = dir.resolve("config/messenger/session");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "not an address at all\ntoken\n");
        assertTrue(store().savedSession().isEmpty());
        Files.writeString(file, "localhost:8080\n");
        assertTrue(store().savedSession().isEmpty());
    }
}
