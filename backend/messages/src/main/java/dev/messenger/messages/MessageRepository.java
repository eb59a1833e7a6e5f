package dev.messenger.messages;

import dev.messenger.api.v1.Conversation;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.MessageSentEvent;
import dev.messenger.api.v1.User;
import dev.messenger.platform.db.MessageRows;
import dev.messenger.platform.db.Rows;
import dev.messenger.platform.db.Transactions;
import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.Failures;
import dev.messenger.platform.service.ProtoTime;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Messages, feeds, conversations and the outbox: everything a send writes, in one transaction. */
final class MessageRepository {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    /** PostgreSQL orders uuids by their bytes, which is the order of their lower-case text form. */
    static final Comparator<UUID> LOCK_ORDER = Comparator.comparing(UUID::toString);

    private final DbClient db;
    private final String eventsTopic;

    MessageRepository(DbClient db, String eventsTopic) {
        this.db = db;
        this.eventsTopic = eventsTopic;
    }

    /** A stored message and its numbers in the two feeds. */
    record Sent(Message message, long recipientSeq, long senderSeq) {
    }

    /** The message a sender already sent with this client id, if any. */
    Optional<Message> findByClientId(UUID senderId, String clientMessageId) {
        return db.execute().createGet("""
                        SELECT %s FROM messages m WHERE m.sender_id = CAST(:sender AS uuid) AND m.client_message_id = :clientId"""
                        .formatted(MessageRows.columns("m")))
                .addParam("sender", senderId)
                .addParam("clientId", clientMessageId)
                .execute()
                .map(MessageRows::message);
    }

    /**
     * Stores the message, numbers it in both feeds, updates both conversation rows and writes the
     * outbox event, all in one transaction of four statements.
     *
     * @return empty when another send with the same client id won the race (the caller re-reads it)
     */
    Optional<Sent> insert(UUID senderId, UUID recipientId, String text, String clientMessageId) {
        try {
            return Optional.of(Transactions.inTransaction(db, tx -> {
                // Feed heads are locked in one global order, so concurrent sends between the same
                // users cannot deadlock; the lock also makes the numbers commit in order.
                long senderSeq = 0;
                long recipientSeq = 0;
                for (UUID user : List.of(senderId, recipientId).stream().sorted(LOCK_ORDER).toList()) {
                    long seq = nextSeq(tx, user);
                    if (user.equals(senderId)) {
                        senderSeq = seq;
                    } else {
                        recipientSeq = seq;
                    }
                }
                Message message = tx.createGet("""
                                INSERT INTO messages (sender_id, recipient_id, body, client_message_id)
                                VALUES (CAST(:sender AS uuid), CAST(:recipient AS uuid), :body, :clientId)
                                RETURNING id, sender_id, recipient_id, body, client_message_id, sent_at""")
                        .addParam("sender", senderId)
                        .addParam("recipient", recipientId)
                        .addParam("body", text)
                        .addParam("clientId", clientMessageId)
                        .execute()
                        .map(MessageRows::message)
                        .orElseThrow();
                byte[] event = MessageSentEvent.newBuilder()
                        .setMessage(message)
                        .setRecipientSeq(recipientSeq)
                        .setSenderSeq(senderSeq)
                        .build()
                        .toByteArray();
                // One round trip for the rest: both feed entries, the outbox event and both
                // conversation rows (the sender has read everything up to their own message; the
                // recipient has one more unread). The rows are distinct, and the feed-head locks
                // taken above already order concurrent sends between the same two users.
                tx.createInsert("""
                                WITH entries AS (
                                    INSERT INTO feed_entries (user_id, seq, message_id)
                                    VALUES (CAST(:sender AS uuid), :senderSeq, :id), (CAST(:recipient AS uuid), :recipientSeq, :id)
                                ), events AS (
                                    INSERT INTO outbox (topic, record_key, payload) VALUES (:topic, :key, :payload)
                                )
                                INSERT INTO conversations AS c (owner_id, peer_id, last_message_id, unread_count, last_read_message_id)
                                VALUES (CAST(:sender AS uuid), CAST(:recipient AS uuid), :id, 0, :id),
                                       (CAST(:recipient AS uuid), CAST(:sender AS uuid), :id, 1, 0)
                                ON CONFLICT (owner_id, peer_id) DO UPDATE
                                SET last_message_id = EXCLUDED.last_message_id,
                                    unread_count = CASE WHEN c.owner_id = CAST(:sender AS uuid) THEN 0 ELSE c.unread_count + 1 END,
                                    last_read_message_id = CASE WHEN c.owner_id = CAST(:sender AS uuid)
                                        THEN EXCLUDED.last_message_id ELSE c.last_read_message_id END""")
                        .addParam("sender", senderId)
                        .addParam("senderSeq", senderSeq)
                        .addParam("recipient", recipientId)
                        .addParam("recipientSeq", recipientSeq)
                        .addParam("id", message.getId())
                        .addParam("topic", eventsTopic)
                        .addParam("key", recipientId.toString())
                        .addParam("payload", event)
                        .execute();
                return new Sent(message, recipientSeq, senderSeq);
            }));
        } catch (RuntimeException e) {
            String state = Failures.sqlState(e);
            if (UNIQUE_VIOLATION.equals(state) && clientMessageId != null) {
                return Optional.empty();
            }
            if (FOREIGN_KEY_VIOLATION.equals(state)) {
                throw ApiException.notFound("No user with id " + recipientId);
            }
            throw e;
        }
    }

    private static long nextSeq(DbExecute tx, UUID user) {
        return tx.createGet("""
                        INSERT INTO feed_heads (user_id, last_seq) VALUES (CAST(:user AS uuid), 1)
                        ON CONFLICT (user_id) DO UPDATE SET last_seq = feed_heads.last_seq + 1
                        RETURNING last_seq""")
                .addParam("user", user)
                .execute()
                .map(row -> Rows.longValue(row, "last_seq"))
                .orElseThrow();
    }

    /** Messages between two users with id below {@code beforeId}, newest first. */
    List<Message> history(UUID me, UUID peer, long beforeId, int limit) {
        try (var rows = db.execute().createQuery("""
                        SELECT %s FROM messages m
                        WHERE LEAST(m.sender_id, m.recipient_id) = LEAST(CAST(:me AS uuid), CAST(:peer AS uuid))
                          AND GREATEST(m.sender_id, m.recipient_id) = GREATEST(CAST(:me AS uuid), CAST(:peer AS uuid))
                          AND m.id < :before
                        ORDER BY m.id DESC
                        LIMIT :limit""".formatted(MessageRows.columns("m")))
                .addParam("me", me)
                .addParam("peer", peer)
                .addParam("before", beforeId)
                .addParam("limit", limit)
                .execute()) {
            return rows.map(MessageRows::message).toList();
        }
    }

    boolean userExists(UUID id) {
        return db.execute().createGet("SELECT 1 AS found FROM users WHERE id = CAST(:id AS uuid)").addParam("id", id).execute().isPresent();
    }

    long feedHead(UUID user) {
        return db.execute().createGet("SELECT last_seq FROM feed_heads WHERE user_id = CAST(:user AS uuid)")
                .addParam("user", user)
                .execute()
                .map(row -> Rows.longValue(row, "last_seq"))
                .orElse(0L);
    }

    /** The owner's conversations whose last message id is below {@code beforeMessageId}, most recent first. */
    List<Conversation> conversations(UUID owner, long beforeMessageId, int limit) {
        try (var rows = db.execute().createQuery("""
                        SELECT c.unread_count, c.last_read_message_id,
                               u.id AS peer_id, u.username, u.display_name, u.created_at,
                               %s
                        FROM conversations c
                        JOIN users u ON u.id = c.peer_id
                        JOIN messages m ON m.id = c.last_message_id
                        WHERE c.owner_id = CAST(:owner AS uuid) AND c.last_message_id < :before
                        ORDER BY c.last_message_id DESC
                        LIMIT :limit""".formatted(MessageRows.columns("m")))
                .addParam("owner", owner)
                .addParam("before", beforeMessageId)
                .addParam("limit", limit)
                .execute()) {
            return rows.map(MessageRepository::conversation).toList();
        }
    }

    private static Conversation conversation(DbRow row) {
        User peer = User.newBuilder()
                .setId(Rows.uuid(row, "peer_id").toString())
                .setUsername(Rows.string(row, "username"))
                .setDisplayName(Rows.string(row, "display_name"))
                .setCreatedAt(ProtoTime.of(Rows.instant(row, "created_at")))
                .build();
        return Conversation.newBuilder()
                .setPeer(peer)
                .setLastMessage(MessageRows.message(row))
                .setUnreadCount(Rows.longValue(row, "unread_count"))
                .setLastReadMessageId(Rows.longValue(row, "last_read_message_id"))
                .build();
    }

    /** The read position after marking, and the messages still unread. */
    record ReadState(long lastReadMessageId, long unreadCount) {
    }

    /** Marks the peer's messages up to {@code upTo} (0: all) read; empty when there is no such conversation. */
    Optional<ReadState> markRead(UUID owner, UUID peer, long upTo) {
        return Transactions.inTransaction(db, tx -> {
            // Locking the row first makes the count below (a new statement, a new snapshot) see
            // every message whose send has already updated this row.
            Optional<DbRow> current = tx.createGet("""
                            SELECT last_message_id, last_read_message_id FROM conversations
                            WHERE owner_id = CAST(:owner AS uuid) AND peer_id = CAST(:peer AS uuid) FOR UPDATE""")
                    .addParam("owner", owner)
                    .addParam("peer", peer)
                    .execute();
            if (current.isEmpty()) {
                return Optional.empty();
            }
            long lastMessage = Rows.longValue(current.get(), "last_message_id");
            long lastRead = Rows.longValue(current.get(), "last_read_message_id");
            long target = upTo == 0 ? lastMessage : Math.min(upTo, lastMessage);
            long newLastRead = Math.max(lastRead, target);
            long unread = tx.createGet("""
                            SELECT count(*) AS unread FROM messages m
                            WHERE LEAST(m.sender_id, m.recipient_id) = LEAST(CAST(:owner AS uuid), CAST(:peer AS uuid))
                              AND GREATEST(m.sender_id, m.recipient_id) = GREATEST(CAST(:owner AS uuid), CAST(:peer AS uuid))
                              AND m.id > :lastRead AND m.sender_id = CAST(:peer AS uuid)""")
                    .addParam("owner", owner)
                    .addParam("peer", peer)
                    .addParam("lastRead", newLastRead)
                    .execute()
                    .map(row -> Rows.longValue(row, "unread"))
                    .orElse(0L);
            tx.createUpdate("""
                            UPDATE conversations SET last_read_message_id = :lastRead, unread_count = :unread
                            WHERE owner_id = CAST(:owner AS uuid) AND peer_id = CAST(:peer AS uuid)""")
                    .addParam("lastRead", newLastRead)
                    .addParam("unread", unread)
                    .addParam("owner", owner)
                    .addParam("peer", peer)
                    .execute();
            return Optional.of(new ReadState(newLastRead, unread));
        });
    }
}
