package dev.messenger.users;

import java.time.Instant;
import java.util.UUID;

/** A user's public profile. */
public record UserAccount(UUID id, String username, String displayName, Instant createdAt) {
}
