package dev.messenger.desktop.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The saved session (server and token) in a file only its owner can read: mode 0600 in a 0700
 * directory where the file system has POSIX permissions, an owner-only ACL on Windows. Written to a
 * new file that is moved over the old one, so a crash never leaves half a token, and the content
 * is never readable by others, not even for a moment.
 *
 * <p>Why a file and not the OS keychain: Java has no keychain API, and the libraries that reach
 * one go through JNA to the Secret Service (absent on many Linux desktops and every headless test
 * machine), the macOS Keychain or the Windows Credential Manager: three code paths we could not test
 * here. A token readable only by the user is the same protection ssh keys and most desktop
 * clients' tokens get; anyone who can read the user's files can also read a keychain unlocked at login.
 */
public final class TokenFile {
    private final Path file;

    public TokenFile(Path file) {
        this.file = file;
    }

    /**
     * Where the app keeps it: {@code $XDG_CONFIG_HOME/messenger} (or {@code ~/.config/messenger})
     * on Linux, {@code ~/Library/Application Support/Messenger} on macOS, {@code %APPDATA%\Messenger}
     * on Windows.
     */
    public static TokenFile inUserConfig() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Path home = Path.of(System.getProperty("user.home"));
        Path dir;
        if (os.startsWith("windows") && System.getenv("APPDATA") != null) {
            dir = Path.of(System.getenv("APPDATA"), "Messenger");
        } else if (os.startsWith("mac")) {
            dir = home.resolve("Library/Application Support/Messenger");
        } else {
            String xdg = System.getenv("XDG_CONFIG_HOME");
            dir = (xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".config")).resolve("messenger");
        }
        return new TokenFile(dir.resolve("session"));
    }

    public Path path() {
        return file;
    }

    /** The saved lines, or empty when there is no readable file. */
    public Optional<List<String>> read() {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readAllLines(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void write(List<String> lines) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Path written = ownerOnlyFile(dir);
            try {
                Files.write(written, lines, StandardCharsets.UTF_8);
                move(written);
            } finally {
                Files.deleteIfExists(written);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the session in " + file, e);
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the saved session " + file, e);
        }
    }

    /** An empty new file in {@code dir} that only the owner can read, created with those rights. */
    private static Path ownerOnlyFile(Path dir) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            return Files.createTempFile(dir, ".session-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.createDirectories(dir);
        Path created = Files.createTempFile(dir, ".session-", ".tmp");
        AclFileAttributeView acl = Files.getFileAttributeView(created, AclFileAttributeView.class);
        if (acl != null) {
            acl.setAcl(List.of(AclEntry.newBuilder()
                    .setType(AclEntryType.ALLOW)
                    .setPrincipal(acl.getOwner())
                    .setPermissions(EnumSet.allOf(AclEntryPermission.class))
                    .build()));
        }
        return created;
    }

    private void move(Path written) throws IOException {
        try {
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
