package dev.messenger.platform.auth;

import java.util.UUID;

/** Told by the {@link SessionRevocationListener} what it hears from PostgreSQL, and when it cannot hear. */
public interface RevocationObserver {
    /** A session was revoked (a logout, or its row deleted or changed, on any server). */
    void revoked(UUID sessionId);

    /** Revocations can no longer be heard until {@link #hearing()}. */
    void deaf();

    /** Revocations are heard again; any made while deaf were missed. */
    void hearing();
}
