package dev.messenger.desktop.connection;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A server and what the app trusts for it: besides the system's certificate authorities, the
 * certificate file the user chose for a self-hosted server (its self-signed certificate or the CA
 * that issued it).
 */
public record ServerEndpoint(ServerAddress address, Optional<Path> trustedCertificate) {
    public static ServerEndpoint of(ServerAddress address) {
        return new ServerEndpoint(address, Optional.empty());
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
