package dev.messenger.users;

import dev.messenger.platform.db.Rows;
import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.Failures;
import dev.messenger.platform.db.Transactions;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** The users table. */
final class UserRepository {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = "id, username, display_name, created_at, deleted_at IS NOT NULL AS deleted";
    /** What a deleted account is shown as (users.display_name keeps nothing of the person). */
    static final String DELETED_DISPLAY_NAME = "Deleted account";

    private final DbClient db;

    UserRepository(DbClient db) {
        this.db = db;
    }

    record Credentials(UserAccount account, String passwordHash) {
    }

    UserAccount insert(String username, String displayName, String passwordHash) {
        try {
            return db.execute().createGet("""
                            INSERT INTO users (id, username, display_name, password_hash)
                            VALUES (CAST(:id AS uuid), :username, :displayName, :passwordHash)
                            RETURNING %s""".formatted(COLUMNS))
                    .addParam("id", UUID.randomUUID())
                    .addParam("username", username)
                    .addParam("displayName", displayName)
                    .addParam("passwordHash", passwordHash)
                    .execute()
                    .map(UserRepository::account)
                    .orElseThrow();
        } catch (RuntimeException e) {
            if (UNIQUE_VIOLATION.equals(Failures.sqlState(e))) {
                throw ApiException.alreadyExists("The username '" + username + "' is taken");
            }
            throw e;
        }
    }

    Optional<UserAccount> find(UUID id) {
        return db.execute().createGet("SELECT %s FROM users WHERE id = CAST(:id AS uuid)".formatted(COLUMNS))
                .addParam("id", id)
                .execute()
                .map(UserRepository::account);
    }

    /** The live account with its new display name; empty when it was deleted meanwhile. */
    Optional<UserAccount> updateDisplayName(UUID id, String displayName) {
        return db.execute().createGet("""
                        UPDATE users SET display_name = :displayName
                        WHERE id = CAST(:id AS uuid) AND deleted_at IS NULL
                        RETURNING %s""".formatted(COLUMNS))
                .addParam("displayName", displayName)
                .addParam("id", id)
                .execute()
                .map(UserRepository::account);
    }

    /** The credentials of a live account (a deleted one has none). */
    Optional<Credentials> credentials(UUID id) {
        return db.execute().createGet("SELECT %s, password_hash FROM users WHERE id = CAST(:id AS uuid) AND deleted_at IS NULL"
                        .formatted(COLUMNS))
                .addParam("id", id)
                .execute()
                .map(row -> new Credentials(account(row), Rows.string(row, "password_hash")));
    }

    /**
     * Sets a new password hash and, in the same transaction, whatever else must change with it
     * (signing the other sessions out): both happen or neither.
     */
    <T> T changePassword(UUID id, String passwordHash, Function<DbExecute, T> alongside) {
        return Transactions.inTransaction(db, tx -> {
            long updated = tx.createUpdate("UPDATE users SET password_hash = :hash WHERE id = CAST(:id AS uuid) AND deleted_at IS NULL")
                    .addParam("hash", passwordHash)
                    .addParam("id", id)
                    .execute();
            if (updated == 0) {
                throw ApiException.notFound("No user with id " + id);
            }
            return alongside.apply(tx);
        });
    }

    /**
     * Marks the account deleted and erases what identifies the person (display name, password
     * hash), together with whatever else must go with it in the same transaction (the sessions).
     * NOT_FOUND when it was deleted already.
     */
    <T> T delete(UUID id, Instant now, Function<DbExecute, T> alongside) {
        return Transactions.inTransaction(db, tx -> {
            long updated = tx.createUpdate("""
                            UPDATE users SET deleted_at = :now, display_name = :placeholder, password_hash = ''
                            WHERE id = CAST(:id AS uuid) AND deleted_at IS NULL""")
                    .addParam("now", Rows.utc(now))
                    .addParam("placeholder", DELETED_DISPLAY_NAME)
                    .addParam("id", id)
                    .execute();
            if (updated == 0) {
                throw ApiException.notFound("No user with id " + id);
            }
            return alongside.apply(tx);
        });
    }

    /**
     * Frees the usernames of accounts deleted before {@code deletedBefore}: each is replaced by a
     * placeholder ({@code deleted-} and 12 hex digits of the id) that no longer reserves anything.
     * Returns how many.
     */
    long releaseUsernames(Instant deletedBefore) {
        return db.execute().createUpdate("""
                        UPDATE users SET username_released = true,
                                         username = 'deleted-' || left(replace(CAST(id AS text), '-', ''), 12)
                        WHERE deleted_at < :before AND NOT username_released""")
                .addParam("before", Rows.utc(deletedBefore))
                .execute();
    }

    /** The credentials of the live account with this username (a deleted one has none). */
    Optional<Credentials> credentials(String usernameKey) {
        return db.execute().createGet("""
                        SELECT %s, password_hash FROM users
                        WHERE username_key = :key AND NOT username_released AND deleted_at IS NULL""".formatted(COLUMNS))
                .addParam("key", usernameKey)
                .execute()
                .map(row -> new Credentials(account(row), Rows.string(row, "password_hash")));
    }

    /** Users whose username key starts with the prefix and sorts after {@code afterKey}, in key order. */
    List<UserAccount> search(String prefix, String afterKey, int limit) {
        // The C-collation column makes LIKE 'prefix%' a b-tree range scan; the prefix has only
        // [a-z0-9_.-], of which '_' is a LIKE wildcard and must be escaped.
        String pattern = prefix.replace("_", "\\_") + "%";
        try (var rows = db.execute().createQuery("""
                        SELECT %s FROM users
                        WHERE username_key LIKE :pattern AND username_key > :after
                          AND NOT username_released AND deleted_at IS NULL
                        ORDER BY username_key
                        LIMIT :limit""".formatted(COLUMNS))
                .addParam("pattern", pattern)
                .addParam("after", afterKey)
                .addParam("limit", limit)
                .execute()) {
            return rows.map(UserRepository::account).toList();
        }
    }

    private static UserAccount account(DbRow row) {
        Instant createdAt = Rows.instant(row, "created_at");
        return new UserAccount(Rows.uuid(row, "id"), Rows.string(row, "username"),
                Rows.string(row, "display_name"), createdAt, row.column("deleted").get(Boolean.class));
    }
}
