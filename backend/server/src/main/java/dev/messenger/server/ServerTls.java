package dev.messenger.server;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * TLS for the server's one port (REST and gRPC, ALPN h2 and HTTP/1.1) from a PEM certificate
 * chain and a PEM private key, as certbot and most CAs hand them out. The files are checked every
 * {@link #CHECK_INTERVAL}; when they change (a renewal), the new pair is loaded into the running
 * server without a restart. A pair that does not load keeps the old one in use and says why.
 */
final class ServerTls implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServerTls.class.getName());
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(10);

    /** Both paths, or neither (plaintext). */
    record Settings(Optional<Path> certificate, Optional<Path> privateKey) {
        static Settings from(Config tls) {
            Optional<Path> certificate = path(tls.get("certificate"));
            Optional<Path> privateKey = path(tls.get("private-key"));
            if (certificate.isPresent() != privateKey.isPresent()) {
                throw new IllegalArgumentException(
                        "messenger.tls.certificate and messenger.tls.private-key go together: set both for TLS, or neither");
            }
            return new Settings(certificate, privateKey);
        }

        boolean enabled() {
            return certificate.isPresent();
        }

        private static Optional<Path> path(Config node) {
            return node.asString().filter(value -> !value.isBlank()).map(value -> Path.of(value.strip()).toAbsolutePath());
        }
    }

    private final Path certificate;
    private final Path privateKey;
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tls-reload").daemon().factory());
    /** The pair the server starts with; later ones go straight into the running server. */
    private final Tls initial;
    private volatile List<FileTime> loadedVersions;

    private ServerTls(Path certificate, Path privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.loadedVersions = versions();
        this.initial = load();
    }

    /** The TLS of the settings, or empty for plaintext; a pair that does not load is a start-up error. */
    static Optional<ServerTls> of(Settings settings) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        return Optional.of(new ServerTls(settings.certificate().get(), settings.privateKey().get()));
    }

    Tls initial() {
        return initial;
    }

    /** Starts checking the files, loading a changed pair into the running server. */
    void reloadInto(WebServer server) {
        long seconds = CHECK_INTERVAL.toSeconds();
        checker.scheduleWithFixedDelay(() -> reloadIfChanged(server), seconds, seconds, TimeUnit.SECONDS);
    }

    private void reloadIfChanged(WebServer server) {
        List<FileTime> versions;
        try {
            versions = versions();
        } catch (UncheckedIOException e) {
            LOG.warning("Cannot read the TLS files (" + e.getCause().getMessage() + "); keeping the certificate in use");
            return;
        }
        if (versions.equals(loadedVersions)) {
            return;
        }
        try {
            Tls renewed = load();
            server.reloadTls(renewed);
            loadedVersions = versions;
            LOG.info(() -> "Loaded the renewed TLS certificate from " + certificate);
        } catch (RuntimeException e) {
            // Typically a renewal caught half-written: the next check tries again.
            LOG.log(Level.WARNING, "The changed TLS files do not load; keeping the certificate in use", e);
        }
    }

    private List<FileTime> versions() {
        try {
            return List.of(Files.getLastModifiedTime(certificate), Files.getLastModifiedTime(privateKey));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Tls load() {
        byte[] chainPem;
        byte[] keyPem;
        try {
            chainPem = Files.readAllBytes(certificate);
            keyPem = Files.readAllBytes(privateKey);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the TLS certificate or key: " + e.getMessage(), e);
        }
        Keys keys = Keys.builder()
                .pem(pem -> pem.certChain(Resource.create("TLS certificate " + certificate, chainPem))
                        .key(Resource.create("TLS private key " + privateKey, keyPem)))
                .build();
        List<X509Certificate> chain = keys.certChain();
        PrivateKey key = keys.privateKey().orElseThrow(() -> new IllegalArgumentException(
                "No private key in " + privateKey + " (expected a PEM 'PRIVATE KEY')"));
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("No certificate in " + certificate + " (expected PEM 'CERTIFICATE' blocks)");
        }
        return Tls.builder()
                .privateKey(key)
                .privateKeyCertChain(chain)
                .build();
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
