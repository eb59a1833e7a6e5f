package dev.messenger.platform.auth;

import java.time.Instant;

/** A freshly issued bearer token. The token itself exists only here and in the client; the database keeps its hash. */
public record IssuedToken(String token, Instant expiresAt) {
    @Override
    public String toString() {
        return "IssuedToken[expiresAt=" + expiresAt + "]";
    }
}
