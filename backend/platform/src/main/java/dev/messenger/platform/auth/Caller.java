package dev.messenger.platform.auth;

import java.util.UUID;

/** The authenticated user behind a call, and the session (login) the call was made with. */
public record Caller(UUID userId, UUID sessionId) {
}
