package dev.messenger.messages;

import dev.messenger.api.v1.Conversation;
import dev.messenger.api.v1.ConversationKind;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.MessageSentEvent;
import dev.messenger.api.v1.User;
import dev.messenger.platform.db.MessageRows;
import dev.messenger.platform.db.Rows;
import dev.messenger.platform.db.Transactions;
import dev.messenger.platform.service.ProtoTime;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/** Messages, feeds, conversations and the outbox: everything a send writes, in one transaction per batch of sends. */
final class MessageRepository {
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

    /** A send to store: validated, not yet stored. */
    record Draft(UUID senderId, UUID recipientId, String text, String clientMessageId) {
        UUID conversationId() {
            return DirectConversation.id(senderId, recipientId);
        }
    }

    /** What storing a draft came to. */
    sealed interface Outcome {
        record Stored(Sent sent) implements Outcome {
        }

        /** The sender already has a message with this client id (stored earlier, or earlier in the same batch). */
        record ClientIdTaken() implements Outcome {
        }

        record UnknownRecipient() implements Outcome {
        }

        /** The recipient deleted their account: it receives nothing any more. */
        record RecipientDeleted() implements Outcome {
        }

        /** The sender's account was deleted while the send was on its way. */
        record SenderDeleted() implements Outcome {
        }
    }

    /**
     * Stores a batch of drafts in one transaction of three statements, whatever its size: lock the
     * feed heads of everyone involved (in one global order, so concurrent batches cannot deadlock, and
     * so messages between the same users get ids and feed numbers in commit order), insert the
     * messages, then write feed entries, new heads, outbox events, conversations and their members' rows together.
     *
     * @return one outcome per draft, in the drafts' order
     */
    List<Outcome> store(List<Draft> drafts) {
        return Transactions.inTransaction(db, tx -> {
            Map<UUID, Long> heads = new HashMap<>();
            Set<UUID> deleted = new HashSet<>();
            lockFeedHeads(tx, drafts, heads, deleted);
            List<Integer> storable = new ArrayList<>();
            for (int i = 0; i < drafts.size(); i++) {
                Draft draft = drafts.get(i);
                if (heads.containsKey(draft.recipientId()) && !deleted.contains(draft.recipientId())
                        && !deleted.contains(draft.senderId())) {
                    storable.add(i);
                }
            }
            Map<Integer, Message> stored = new HashMap<>();
            insertMessages(tx, storable.stream().map(drafts::get).toList())
                    .forEach((index, message) -> stored.put(storable.get(index), message));
            BatchPlan plan = BatchPlan.of(heads, List.copyOf(stored.values()));
            if (!plan.sent().isEmpty()) {
                writeFeedsAndConversations(tx, plan);
            }
            Map<Long, Sent> sentById = new HashMap<>();
            plan.sent().forEach(sent -> sentById.put(sent.message().getId(), sent));
            List<Outcome> outcomes = new ArrayList<>(drafts.size());
            for (int i = 0; i < drafts.size(); i++) {
                Message message = stored.get(i);
                Draft draft = drafts.get(i);
                if (message != null) {
                    outcomes.add(new Outcome.Stored(sentById.get(message.getId())));
                } else if (!heads.containsKey(draft.recipientId())) {
                    outcomes.add(new Outcome.UnknownRecipient());
                } else if (deleted.contains(draft.senderId())) {
                    outcomes.add(new Outcome.SenderDeleted());
                } else if (deleted.contains(draft.recipientId())) {
                    outcomes.add(new Outcome.RecipientDeleted());
                } else {
                    outcomes.add(new Outcome.ClientIdTaken());
                }
            }
            return outcomes;
        });
    }

    /**
     * Locks the feed heads of every sender and recipient that exists (creating missing heads at 0), in
     * PostgreSQL's uuid order, into {@code heads}; a user that does not exist is simply absent from
     * it, and one whose account was deleted is also put in {@code deleted}.
     */
    private static void lockFeedHeads(DbExecute tx, List<Draft> drafts, Map<UUID, Long> heads, Set<UUID> deleted) {
        String[] users = drafts.stream()
                .flatMap(draft -> Stream.of(draft.senderId(), draft.recipientId()))
                .distinct()
                .map(UUID::toString)
                .toArray(String[]::new);
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
                .addParam("users", users)
                .execute()) {
            rows.forEach(row -> {
                UUID user = Rows.uuid(row, "user_id");
                heads.put(user, Rows.longValue(row, "last_seq"));
                if (row.column("deleted").get(Boolean.class)) {
                    deleted.add(user);
                }
            });
        }
    }

    /**
     * Inserts the drafts; one whose client id the sender already used is skipped.
     *
     * @return the stored messages by their draft's index in {@code drafts}
     */
    private static Map<Integer, Message> insertMessages(DbExecute tx, List<Draft> drafts) {
        Map<Integer, Message> stored = new HashMap<>();
        if (drafts.isEmpty()) {
            return stored;
        }
        // Ids are drawn first so that each returned row can be matched to its draft by number.
        try (var rows = tx.createQuery("""
                        WITH input AS MATERIALIZED (
                            SELECT nextval(pg_get_serial_sequence('messages', 'id')) AS id, t.*
                            FROM unnest(CAST(:senders AS uuid[]), CAST(:recipients AS uuid[]), CAST(:conversations AS uuid[]),
                                        CAST(:bodies AS text[]), CAST(:clientIds AS text[]))
                                 WITH ORDINALITY AS t(sender_id, recipient_id, conversation_id, body, client_message_id, ord)
                        ), stored AS (
                            INSERT INTO messages (id, sender_id, recipient_id, conversation_id, body, client_message_id)
                            OVERRIDING SYSTEM VALUE
                            SELECT id, sender_id, recipient_id, conversation_id, body, client_message_id FROM input ORDER BY id
                            ON CONFLICT (sender_id, client_message_id) WHERE client_message_id IS NOT NULL DO NOTHING
                            RETURNING id, sender_id, recipient_id, conversation_id, body, client_message_id, sent_at
                        )
                        SELECT input.ord, %s FROM stored m JOIN input USING (id)""".formatted(MessageRows.columns("m")))
                .addParam("senders", drafts.stream().map(draft -> draft.senderId().toString()).toArray(String[]::new))
                .addParam("recipients", drafts.stream().map(draft -> draft.recipientId().toString()).toArray(String[]::new))
                .addParam("conversations", drafts.stream().map(draft -> draft.conversationId().toString()).toArray(String[]::new))
                .addParam("bodies", drafts.stream().map(Draft::text).toArray(String[]::new))
                .addParam("clientIds", drafts.stream().map(Draft::clientMessageId).toArray(String[]::new))
                .execute()) {
            rows.forEach(row -> stored.put((int) Rows.longValue(row, "ord") - 1, MessageRows.message(row)));
        }
        return stored;
    }

    /**
     * One round trip: feed entries, feed heads, outbox events, the direct conversations that the
     * batch opens (a first message between two users) and the members' rows.
     */
    private void writeFeedsAndConversations(DbExecute tx, BatchPlan plan) {
        List<Sent> sent = plan.sent();
        List<String> entryUsers = new ArrayList<>(sent.size() * 2);
        List<Long> entrySeqs = new ArrayList<>(sent.size() * 2);
        List<Long> entryMessages = new ArrayList<>(sent.size() * 2);
        for (Sent one : sent) {
            entryUsers.add(one.message().getSenderId());
            entrySeqs.add(one.senderSeq());
            entryMessages.add(one.message().getId());
            entryUsers.add(one.message().getRecipientId());
            entrySeqs.add(one.recipientSeq());
            entryMessages.add(one.message().getId());
        }
        List<BatchPlan.ConversationChange> conversations = plan.conversations();
        // Outbox rows go in in id order, which is the order the relay publishes them.
        tx.createInsert("""
                        WITH heads AS (
                            UPDATE feed_heads h SET last_seq = t.last_seq
                            FROM unnest(CAST(:headUsers AS uuid[]), CAST(:headSeqs AS bigint[])) AS t(user_id, last_seq)
                            WHERE h.user_id = t.user_id
                        ), entries AS (
                            INSERT INTO feed_entries (user_id, seq, message_id)
                            SELECT * FROM unnest(CAST(:entryUsers AS uuid[]), CAST(:entrySeqs AS bigint[]),
                                                 CAST(:entryMessages AS bigint[]))
                        ), events AS (
                            INSERT INTO outbox (topic, record_key, payload)
                            SELECT :topic, t.record_key, t.payload
                            FROM unnest(CAST(:eventKeys AS text[]), CAST(:eventPayloads AS bytea[])) AS t(record_key, payload)
                        ), opened AS (
                            INSERT INTO conversations (id, kind, member_count)
                            SELECT DISTINCT t.id, 'direct', 2 FROM unnest(CAST(:opened AS uuid[])) AS t(id)
                            ON CONFLICT (id) DO NOTHING
                        )
                        INSERT INTO conversation_members AS c
                            (conversation_id, user_id, peer_id, last_message_id, unread_count, last_read_message_id)
                        SELECT * FROM unnest(CAST(:conversations AS uuid[]), CAST(:owners AS uuid[]), CAST(:peers AS uuid[]),
                                             CAST(:lastMessages AS bigint[]), CAST(:unread AS bigint[]), CAST(:lastRead AS bigint[]))
                        ON CONFLICT (conversation_id, user_id) DO UPDATE
                        SET last_message_id = EXCLUDED.last_message_id,
                            unread_count = CASE WHEN EXCLUDED.last_read_message_id > 0 THEN EXCLUDED.unread_count
                                                ELSE c.unread_count + EXCLUDED.unread_count END,
                            last_read_message_id = GREATEST(c.last_read_message_id, EXCLUDED.last_read_message_id)""")
                .addParam("headUsers", plan.heads().keySet().stream().map(UUID::toString).toArray(String[]::new))
                .addParam("headSeqs", plan.heads().values().toArray(Long[]::new))
                .addParam("entryUsers", entryUsers.toArray(String[]::new))
                .addParam("entrySeqs", entrySeqs.toArray(Long[]::new))
                .addParam("entryMessages", entryMessages.toArray(Long[]::new))
                .addParam("topic", eventsTopic)
                .addParam("eventKeys", sent.stream().map(one -> one.message().getRecipientId()).toArray(String[]::new))
                .addParam("eventPayloads", sent.stream().map(MessageRepository::event).toArray(byte[][]::new))
                .addParam("opened", conversations.stream().map(change -> change.conversation().toString()).toArray(String[]::new))
                .addParam("conversations", conversations.stream().map(change -> change.conversation().toString()).toArray(String[]::new))
                .addParam("owners", conversations.stream().map(change -> change.owner().toString()).toArray(String[]::new))
                .addParam("peers", conversations.stream().map(change -> change.peer().toString()).toArray(String[]::new))
                .addParam("lastMessages", conversations.stream().map(BatchPlan.ConversationChange::lastMessageId).toArray(Long[]::new))
                .addParam("unread", conversations.stream().map(BatchPlan.ConversationChange::unread).toArray(Long[]::new))
                .addParam("lastRead", conversations.stream().map(BatchPlan.ConversationChange::lastReadMessageId).toArray(Long[]::new))
                .execute();
    }

    private static byte[] event(Sent sent) {
        return MessageSentEvent.newBuilder()
                .setMessage(sent.message())
                .setRecipientSeq(sent.recipientSeq())
                .setSenderSeq(sent.senderSeq())
                .build()
                .toByteArray();
    }

    /** The conversation's messages with id below {@code beforeId}, newest first. */
    List<Message> history(UUID conversation, long beforeId, int limit) {
        try (var rows = db.execute().createQuery("""
                        SELECT %s FROM messages m
                        WHERE m.conversation_id = CAST(:conversation AS uuid) AND m.id < :before
                        ORDER BY m.id DESC
                        LIMIT :limit""".formatted(MessageRows.columns("m")))
                .addParam("conversation", conversation)
                .addParam("before", beforeId)
                .addParam("limit", limit)
                .execute()) {
            return rows.map(MessageRows::message).toList();
        }
    }

    boolean isMember(UUID conversation, UUID user) {
        return db.execute().createGet("""
                        SELECT 1 AS found FROM conversation_members
                        WHERE conversation_id = CAST(:conversation AS uuid) AND user_id = CAST(:user AS uuid)""")
                .addParam("conversation", conversation)
                .addParam("user", user)
                .execute()
                .isPresent();
    }

    /** The other member of a direct conversation {@code member} belongs to; empty when they do not belong to it. */
    Optional<UUID> directPeer(UUID conversation, UUID member) {
        return db.execute().createGet("""
                        SELECT peer_id FROM conversation_members
                        WHERE conversation_id = CAST(:conversation AS uuid) AND user_id = CAST(:member AS uuid)""")
                .addParam("conversation", conversation)
                .addParam("member", member)
                .execute()
                .map(row -> Rows.nullableUuid(row, "peer_id"));
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
                        SELECT c.unread_count, c.last_read_message_id, k.kind, k.title, k.member_count,
                               u.id AS peer_id, u.username, u.display_name, u.created_at, u.deleted_at IS NOT NULL AS peer_deleted,
                               %s
                        FROM conversation_members c
                        JOIN conversations k ON k.id = c.conversation_id
                        JOIN users u ON u.id = c.peer_id
                        JOIN messages m ON m.id = c.last_message_id
                        WHERE c.user_id = CAST(:owner AS uuid) AND c.last_message_id < :before
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
                .setDeleted(row.column("peer_deleted").get(Boolean.class))
                .build();
        Message last = MessageRows.message(row);
        String title = Rows.nullableString(row, "title");
        return Conversation.newBuilder()
                .setId(last.getConversationId())
                .setKind(Rows.string(row, "kind").equals("group") ? ConversationKind.CONVERSATION_KIND_GROUP
                        : ConversationKind.CONVERSATION_KIND_DIRECT)
                .setTitle(title == null ? "" : title)
                .setMemberCount((int) Rows.longValue(row, "member_count"))
                .setPeer(peer)
                .setLastMessage(last)
                .setUnreadCount(Rows.longValue(row, "unread_count"))
                .setLastReadMessageId(Rows.longValue(row, "last_read_message_id"))
                .build();
    }

    /** The read position after marking, and the messages still unread. */
    record ReadState(long lastReadMessageId, long unreadCount) {
    }

    /** Marks the others' messages up to {@code upTo} (0: all) read; empty when the owner is no member of the conversation. */
    Optional<ReadState> markRead(UUID conversation, UUID owner, long upTo) {
        return Transactions.inTransaction(db, tx -> {
            // Locking the row first makes the count below (a new statement, a new snapshot) see
            // every message whose send has already updated this row.
            Optional<DbRow> current = tx.createGet("""
                            SELECT last_message_id, last_read_message_id FROM conversation_members
                            WHERE conversation_id = CAST(:conversation AS uuid) AND user_id = CAST(:owner AS uuid) FOR UPDATE""")
                    .addParam("conversation", conversation)
                    .addParam("owner", owner)
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
                            WHERE m.conversation_id = CAST(:conversation AS uuid) AND m.id > :lastRead
                              AND m.sender_id <> CAST(:owner AS uuid)""")
                    .addParam("conversation", conversation)
                    .addParam("owner", owner)
                    .addParam("lastRead", newLastRead)
                    .execute()
                    .map(row -> Rows.longValue(row, "unread"))
                    .orElse(0L);
            tx.createUpdate("""
                            UPDATE conversation_members SET last_read_message_id = :lastRead, unread_count = :unread
                            WHERE conversation_id = CAST(:conversation AS uuid) AND user_id = CAST(:owner AS uuid)""")
                    .addParam("lastRead", newLastRead)
                    .addParam("unread", unread)
                    .addParam("conversation", conversation)
                    .addParam("owner", owner)
                    .execute();
            return Optional.of(new ReadState(newLastRead, unread));
        });
    }
}
