package dev.messenger.messages;

import dev.messenger.api.v1.MemberSeq;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.MessageSentEvent;
import dev.messenger.platform.db.MessageRows;
import dev.messenger.platform.db.Rows;
import dev.messenger.platform.db.Transactions;
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

/** Messages, feeds, conversations and the outbox: everything a send writes, in one transaction per batch of sends. */
final class MessageRepository {
    private final DbClient db;
    private final String eventsTopic;

    MessageRepository(DbClient db, String eventsTopic) {
        this.db = db;
        this.eventsTopic = eventsTopic;
    }

    /** A stored message and its number in the feed of each member who receives it. */
    record Sent(Message message, Map<UUID, Long> seqs) {
        long senderSeq() {
            return seqs.get(UUID.fromString(message.getSenderId()));
        }

        /** For a message of a direct conversation. */
        long recipientSeq() {
            return seqs.get(UUID.fromString(message.getRecipientId()));
        }
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
     * A send to store: validated, not yet stored.
     *
     * @param recipientId the other member of a direct conversation; null for a group's message
     */
    record Draft(UUID senderId, UUID recipientId, UUID conversationId, String text, String clientMessageId) {
        static Draft direct(UUID senderId, UUID recipientId, String text, String clientMessageId) {
            return new Draft(senderId, recipientId, DirectConversation.id(senderId, recipientId), text, clientMessageId);
        }

        static Draft toGroup(UUID senderId, UUID groupId, String text, String clientMessageId) {
            return new Draft(senderId, null, groupId, text, clientMessageId);
        }

        boolean toGroup() {
            return recipientId == null;
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

        /** The sender is no member of the group (any more). */
        record NotMember() implements Outcome {
        }
    }

    /**
     * Stores a batch of drafts in one transaction of three statements, whatever its size (five when
     * the batch holds a group's message): share-lock the groups and read their members (so a
     * membership change waits for the batch, and the batch for it), lock the feed heads of everyone
     * who receives a message (in one global order, so concurrent batches cannot deadlock, and so the
     * messages of a conversation get ids and feed numbers in commit order), insert the messages, then
     * write feed entries, new heads, outbox events, conversations and their members' rows together.
     *
     * @return one outcome per draft, in the drafts' order
     */
    List<Outcome> store(List<Draft> drafts) {
        return Transactions.inTransaction(db, tx -> {
            Set<UUID> groups = new HashSet<>();
            drafts.stream().filter(Draft::toGroup).forEach(draft -> groups.add(draft.conversationId()));
            Map<UUID, List<UUID>> members = groups.isEmpty() ? Map.of() : lockGroupsAndReadMembers(tx, groups);
            Set<UUID> users = new HashSet<>();
            for (Draft draft : drafts) {
                users.add(draft.senderId());
                if (!draft.toGroup()) {
                    users.add(draft.recipientId());
                }
            }
            members.values().forEach(users::addAll);
            FeedHeads heads = FeedHeads.lock(tx, users);
            // A deleted account receives nothing more, in groups either.
            Map<UUID, List<UUID>> receiving = new HashMap<>();
            members.forEach((group, all) -> receiving.put(group, all.stream().filter(heads::receives).toList()));
            List<Integer> storable = new ArrayList<>();
            for (int i = 0; i < drafts.size(); i++) {
                Draft draft = drafts.get(i);
                boolean reaches = draft.toGroup()
                        ? receiving.getOrDefault(draft.conversationId(), List.of()).contains(draft.senderId())
                        : heads.receives(draft.recipientId());
                if (reaches && !heads.deleted(draft.senderId())) {
                    storable.add(i);
                }
            }
            Map<Integer, Message> stored = new HashMap<>();
            insertMessages(tx, storable.stream().map(drafts::get).toList())
                    .forEach((index, message) -> stored.put(storable.get(index), message));
            BatchPlan plan = BatchPlan.of(heads.lastSeqs(), List.copyOf(stored.values()), receiving);
            if (!plan.sent().isEmpty()) {
                writeFeedsAndConversations(tx, plan);
            }
            Map<Long, Sent> sentById = new HashMap<>();
            plan.sent().forEach(sent -> sentById.put(sent.message().getId(), sent));
            List<Outcome> outcomes = new ArrayList<>(drafts.size());
            for (int i = 0; i < drafts.size(); i++) {
                outcomes.add(outcome(drafts.get(i), stored.get(i), sentById, heads, receiving));
            }
            return outcomes;
        });
    }

    private static Outcome outcome(Draft draft, Message message, Map<Long, Sent> sentById, FeedHeads heads,
                                   Map<UUID, List<UUID>> receiving) {
        if (message != null) {
            return new Outcome.Stored(sentById.get(message.getId()));
        }
        if (heads.deleted(draft.senderId())) {
            return new Outcome.SenderDeleted();
        }
        if (draft.toGroup()) {
            return receiving.getOrDefault(draft.conversationId(), List.of()).contains(draft.senderId())
                    ? new Outcome.ClientIdTaken() : new Outcome.NotMember();
        }
        if (!heads.exists(draft.recipientId())) {
            return new Outcome.UnknownRecipient();
        }
        return heads.deleted(draft.recipientId()) ? new Outcome.RecipientDeleted() : new Outcome.ClientIdTaken();
    }

    /**
     * Share-locks the groups (a membership change takes the same rows for update), then reads their
     * current members in a statement of its own: one that started before the lock was granted would
     * not see a change committed while it waited.
     */
    private static Map<UUID, List<UUID>> lockGroupsAndReadMembers(DbExecute tx, Set<UUID> groups) {
        String[] ids = groups.stream().map(UUID::toString).sorted().toArray(String[]::new);
        try (var rows = tx.createQuery("""
                        SELECT id FROM conversations WHERE id = ANY(CAST(:groups AS uuid[])) AND kind = 'group'
                        ORDER BY id FOR SHARE""")
                .addParam("groups", ids)
                .execute()) {
            // Locked, nothing to read: the rows are closed here, the locks held until the transaction ends.
            rows.forEach(row -> { });
        }
        Map<UUID, List<UUID>> members = new HashMap<>();
        try (var rows = tx.createQuery("""
                        SELECT conversation_id, user_id FROM conversation_members
                        WHERE conversation_id = ANY(CAST(:groups AS uuid[])) AND active
                        ORDER BY conversation_id, user_id""")
                .addParam("groups", ids)
                .execute()) {
            rows.forEach(row -> members.computeIfAbsent(Rows.uuid(row, "conversation_id"), group -> new ArrayList<>())
                    .add(Rows.uuid(row, "user_id")));
        }
        return members;
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
                            RETURNING id, sender_id, recipient_id, conversation_id, body, client_message_id, sent_at,
                                      change_kind, change_users, change_title
                        )
                        SELECT input.ord, %s FROM stored m JOIN input USING (id)""".formatted(MessageRows.columns("m")))
                .addParam("senders", drafts.stream().map(draft -> draft.senderId().toString()).toArray(String[]::new))
                .addParam("recipients", drafts.stream().map(draft -> draft.toGroup() ? null : draft.recipientId().toString())
                        .toArray(String[]::new))
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
        List<String> entryUsers = new ArrayList<>();
        List<Long> entrySeqs = new ArrayList<>();
        List<Long> entryMessages = new ArrayList<>();
        for (Sent one : sent) {
            one.seqs().forEach((user, seq) -> {
                entryUsers.add(user.toString());
                entrySeqs.add(seq);
                entryMessages.add(one.message().getId());
            });
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
                .addParam("eventKeys", sent.stream().map(MessageRepository::eventKey).toArray(String[]::new))
                .addParam("eventPayloads", sent.stream().map(MessageRepository::event).toArray(byte[][]::new))
                .addParam("opened", conversations.stream().filter(change -> change.peer() != null)
                        .map(change -> change.conversation().toString()).toArray(String[]::new))
                .addParam("conversations", conversations.stream().map(change -> change.conversation().toString()).toArray(String[]::new))
                .addParam("owners", conversations.stream().map(change -> change.owner().toString()).toArray(String[]::new))
                .addParam("peers", conversations.stream().map(change -> change.peer() == null ? null : change.peer().toString())
                        .toArray(String[]::new))
                .addParam("lastMessages", conversations.stream().map(BatchPlan.ConversationChange::lastMessageId).toArray(Long[]::new))
                .addParam("unread", conversations.stream().map(BatchPlan.ConversationChange::unread).toArray(Long[]::new))
                .addParam("lastRead", conversations.stream().map(BatchPlan.ConversationChange::lastReadMessageId).toArray(Long[]::new))
                .execute();
    }

    /** A direct message is keyed by its recipient, a group's by the group: each instance reads every partition. */
    private static String eventKey(Sent sent) {
        Message message = sent.message();
        return message.getRecipientId().isEmpty() ? message.getConversationId() : message.getRecipientId();
    }

    static byte[] event(Sent sent) {
        MessageSentEvent.Builder event = MessageSentEvent.newBuilder().setMessage(sent.message());
        if (sent.message().getRecipientId().isEmpty()) {
            sent.seqs().forEach((user, seq) -> event.addMemberSeqs(MemberSeq.newBuilder().setUserId(user.toString()).setSeq(seq)));
        } else {
            event.setRecipientSeq(sent.recipientSeq()).setSenderSeq(sent.senderSeq());
        }
        return event.build().toByteArray();
    }

    /**
     * The conversation's messages with id below {@code beforeId} that fall in one of the reader's
     * periods, newest first. Nothing after the last period is read (a member who left long ago
     * starts where they left, not at the newest message).
     */
    List<Message> history(UUID conversation, List<ConversationRepository.Period> periods, long beforeId, int limit) {
        long lastVisible = periods.stream().mapToLong(ConversationRepository.Period::upTo).max().orElse(0);
        long before = lastVisible == Long.MAX_VALUE ? beforeId : Math.min(beforeId, lastVisible + 1);
        try (var rows = db.execute().createQuery("""
                        SELECT %s FROM messages m
                        WHERE m.conversation_id = CAST(:conversation AS uuid) AND m.id < :before
                          AND EXISTS (SELECT 1 FROM unnest(CAST(:afters AS bigint[]), CAST(:upTos AS bigint[])) AS p(after_id, up_to)
                                      WHERE m.id > p.after_id AND m.id <= p.up_to)
                        ORDER BY m.id DESC
                        LIMIT :limit""".formatted(MessageRows.columns("m")))
                .addParam("conversation", conversation)
                .addParam("afters", periods.stream().map(ConversationRepository.Period::after).toArray(Long[]::new))
                .addParam("upTos", periods.stream().map(ConversationRepository.Period::upTo).toArray(Long[]::new))
                .addParam("before", before)
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
                              AND m.sender_id <> CAST(:owner AS uuid) AND m.change_kind IS NULL""")
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
