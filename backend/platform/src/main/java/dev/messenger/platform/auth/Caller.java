package dev.messenger.platform.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** The authenticated user behind a call, the session (login) the call was made with, and when that session expires. */
public record Caller(UUID userId, UUID sessionId, Instant sessionExpiresAt) {
    /** How long the session lasts from {@code now}; zero or negative once it has expired. */
    public Duration sessionTimeLeft(Instant now) {
        return Duration.between(now, sessionExpiresAt);
    }
}
