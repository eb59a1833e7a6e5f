package dev.messenger.notifications;

import dev.messenger.api.v1.FeedMessage;
import dev.messenger.platform.db.MessageRows;
import dev.messenger.platform.db.Rows;
import io.helidon.dbclient.DbClient;

import java.util.List;
import java.util.UUID;

/** Reads a user's feed from PostgreSQL, the source of truth behind every live delivery. */
final class FeedRepository {
    private final DbClient db;

    FeedRepository(DbClient db) {
        this.db = db;
    }

    /** Feed entries with {@code seq > afterSeq}, in seq order, at most {@code limit}. */
    List<FeedMessage> after(UUID user, long afterSeq, int limit) {
        try (var rows = db.execute().createQuery("""
                        SELECT f.seq, %s
                        FROM feed_entries f JOIN messages m ON m.id = f.message_id
                        WHERE f.user_id = CAST(:user AS uuid) AND f.seq > :after
                        ORDER BY f.seq
                        LIMIT :limit""".formatted(MessageRows.columns("m")))
                .addParam("user", user)
                .addParam("after", afterSeq)
                .addParam("limit", limit)
                .execute()) {
            return rows.map(row -> FeedMessage.newBuilder()
                    .setSeq(Rows.longValue(row, "seq"))
                    .setMessage(MessageRows.message(row))
                    .build()).toList();
        }
    }
}
