package dev.messenger.users;

import java.time.Instant;
import java.util.UUID;

/**
 * A user's public profile.
 *
 * @param deleted the account was deleted: the display name is a placeholder and nobody can sign in as it
 */
public record UserAccount(UUID id, String username, String displayName, Instant createdAt, boolean deleted) {
}
