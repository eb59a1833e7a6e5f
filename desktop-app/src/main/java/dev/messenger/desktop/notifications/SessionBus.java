package dev.messenger.desktop.notifications;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the desktop's session bus is, for the desktop's notifications and the tray icon alike. Both
 * look it up off the UI thread, and both must find "no bus" quickly: a headless machine, a plain
 * X session or Windows has none.
 */
public final class SessionBus {
    private SessionBus() {
    }

    /** The session bus's D-Bus address from the environment, if this session names one. */
    public static Optional<String> address() {
        String address = System.getenv("DBUS_SESSION_BUS_ADDRESS");
        return address == null || address.isBlank() ? Optional.empty() : Optional.of(address);
    }

    /**
     * Whether {@code address} names only Unix socket files that are not there: dbus-java keeps
     * retrying a missing socket file for about ten seconds before it gives up.
     */
    public static boolean missingSocket(String address) {
        for (String part : address.split("[;,]")) {
            if (part.startsWith("unix:path=") && Files.exists(Path.of(part.substring("unix:path=".length())))) {
                return false;
            }
        }
        return address.startsWith("unix:path=");
    }
}
