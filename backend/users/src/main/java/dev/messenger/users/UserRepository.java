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
    private static final String COLUMNS = "id, username, display_name, created_at";

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

    Optional<Credentials> credentials(UUID id) {
        return db.execute().createGet("SELECT %s, password_hash FROM users WHERE id = CAST(:id AS uuid)".formatted(COLUMNS))
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
            long updated = tx.createUpdate("UPDATE users SET password_hash = :hash WHERE id = CAST(:id AS uuid)")
                    .addParam("hash", passwordHash)
                    .addParam("id", id)
                    .execute();
            if (updated == 0) {
                throw ApiException.notFound("No user with id " + id);
            }
            return alongside.apply(tx);
        });
    }

    Optional<Credentials> credentials(String usernameKey) {
        return db.execute().createGet("SELECT %s, password_hash FROM users WHERE username_key = :key".formatted(COLUMNS))
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
                Rows.string(row, "display_name"), createdAt);
    }
}
