package dev.messenger.messages;

import dev.messenger.platform.db.Rows;
import io.helidon.dbclient.DbExecute;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The feed heads of the users a transaction writes feed entries for, locked until it ends, and
 * which of those users deleted their account. A user that does not exist is simply absent.
 */
final class FeedHeads {
    private final Map<UUID, Long> lastSeqs;
    private final Set<UUID> deleted;

    private FeedHeads(Map<UUID, Long> lastSeqs, Set<UUID> deleted) {
        this.lastSeqs = Map.copyOf(lastSeqs);
        this.deleted = Set.copyOf(deleted);
    }

    /**
     * Locks the heads (creating missing ones at 0) in PostgreSQL's uuid order, so that concurrent
     * transactions cannot deadlock and each user's numbers are taken in commit order. Reads the
     * deleted flags in the same statement.
     */
    static FeedHeads lock(DbExecute tx, Collection<UUID> users) {
        Map<UUID, Long> lastSeqs = new HashMap<>();
        Set<UUID> deleted = new HashSet<>();
        try (var rows = tx.createQuery("""
                        WITH involved AS (
                            SELECT u.id, u.deleted_at IS NOT NULL AS deleted FROM users u WHERE u.id = ANY(CAST(:users AS uuid[]))
                        ), locked AS (
                            INSERT INTO feed_heads AS h (user_id, last_seq)
                            SELECT id, 0 FROM involved ORDER BY id
                            ON CONFLICT (user_id) DO UPDATE SET last_seq = h.last_seq
                            RETURNING user_id, last_seq
                        )
                        SELECT l.user_id, l.last_seq, i.deleted FROM locked l JOIN involved i ON i.id = l.user_id""")
                .addParam("users", users.stream().distinct().map(UUID::toString).toArray(String[]::new))
                .execute()) {
            rows.forEach(row -> {
                UUID user = Rows.uuid(row, "user_id");
                lastSeqs.put(user, Rows.longValue(row, "last_seq"));
                if (row.column("deleted").get(Boolean.class)) {
                    deleted.add(user);
                }
            });
        }
        return new FeedHeads(lastSeqs, deleted);
    }

    Map<UUID, Long> lastSeqs() {
        return lastSeqs;
    }

    boolean exists(UUID user) {
        return lastSeqs.containsKey(user);
    }

    boolean deleted(UUID user) {
        return deleted.contains(user);
    }

    /** Exists and has not deleted their account: new messages reach them. */
    boolean receives(UUID user) {
        return exists(user) && !deleted(user);
    }
}
