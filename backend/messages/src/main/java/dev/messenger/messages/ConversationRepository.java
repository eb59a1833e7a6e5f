package dev.messenger.messages;

import dev.messenger.api.v1.Conversation;
import dev.messenger.api.v1.ConversationKind;
import dev.messenger.api.v1.Member;
import dev.messenger.api.v1.MemberRole;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.User;
import dev.messenger.platform.db.MessageRows;
import dev.messenger.platform.db.Rows;
import dev.messenger.platform.db.Transactions;
import dev.messenger.platform.service.ProtoTime;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Conversations as their members see them, and groups: creating one, who is in it. */
final class ConversationRepository {
    /** A member's view of a conversation: the row, its conversation and (direct) the peer, and its latest message. */
    private static final String CONVERSATION_COLUMNS = """
            SELECT c.unread_count, c.last_read_message_id, k.kind, k.title, k.member_count,
                   u.id AS peer_id, u.username, u.display_name, u.created_at, u.deleted_at IS NOT NULL AS peer_deleted,
                   %s
            FROM conversation_members c
            JOIN conversations k ON k.id = c.conversation_id
            LEFT JOIN users u ON u.id = c.peer_id
            JOIN messages m ON m.id = c.last_message_id
            """.formatted(MessageRows.columns("m"));

    private final DbClient db;
    private final String eventsTopic;

    ConversationRepository(DbClient db, String eventsTopic) {
        this.db = db;
        this.eventsTopic = eventsTopic;
    }

    /** Messages with ids after {@code after}, up to and including {@code upTo}. */
    record Period(long after, long upTo) {
        static final Period ALL = new Period(0, Long.MAX_VALUE);
    }

    /**
     * What a user may do in a conversation they have (or had) a row in.
     *
     * @param peer    the other member of a direct conversation; null for a group
     * @param active  still a member: receives and may send
     * @param periods the messages they may read
     */
    record Access(boolean group, UUID peer, boolean active, List<Period> periods) {
    }

    Optional<Access> access(UUID conversation, UUID user) {
        return db.execute().createGet("""
                        SELECT k.kind, c.peer_id, c.active,
                               array_to_string(ARRAY(
                                   SELECT p.joined_after || ':' || coalesce(p.left_at, -1) FROM membership_periods p
                                   WHERE p.conversation_id = c.conversation_id AND p.user_id = c.user_id
                                   ORDER BY p.joined_after), ',') AS periods
                        FROM conversation_members c JOIN conversations k ON k.id = c.conversation_id
                        WHERE c.conversation_id = CAST(:conversation AS uuid) AND c.user_id = CAST(:user AS uuid)""")
                .addParam("conversation", conversation)
                .addParam("user", user)
                .execute()
                .map(row -> {
                    boolean group = Rows.string(row, "kind").equals("group");
                    List<Period> periods = new ArrayList<>();
                    if (!group) {
                        periods.add(Period.ALL);
                    }
                    for (String period : Rows.string(row, "periods").split(",")) {
                        if (!period.isEmpty()) {
                            String[] bounds = period.split(":");
                            long upTo = Long.parseLong(bounds[1]);
                            periods.add(new Period(Long.parseLong(bounds[0]), upTo < 0 ? Long.MAX_VALUE : upTo));
                        }
                    }
                    return new Access(group, Rows.nullableUuid(row, "peer_id"), row.column("active").get(Boolean.class),
                            List.copyOf(periods));
                });
    }

    /** The owner's conversations whose last message id is below {@code beforeMessageId}, most recent first. */
    List<Conversation> conversations(UUID owner, long beforeMessageId, int limit) {
        try (var rows = db.execute().createQuery(CONVERSATION_COLUMNS + """
                        WHERE c.user_id = CAST(:owner AS uuid) AND c.last_message_id < :before
                        ORDER BY c.last_message_id DESC
                        LIMIT :limit""")
                .addParam("owner", owner)
                .addParam("before", beforeMessageId)
                .addParam("limit", limit)
                .execute()) {
            return rows.map(ConversationRepository::conversation).toList();
        }
    }

    /** The conversation as {@code member} sees it; empty when they have no row in it. */
    Optional<Conversation> conversation(UUID id, UUID member) {
        return db.execute().createGet(CONVERSATION_COLUMNS + """
                        WHERE c.conversation_id = CAST(:id AS uuid) AND c.user_id = CAST(:member AS uuid)""")
                .addParam("id", id)
                .addParam("member", member)
                .execute()
                .map(ConversationRepository::conversation);
    }

    /** Current members with user ids after {@code afterUserId}, in user id order. */
    List<Member> members(UUID conversation, UUID afterUserId, int limit) {
        try (var rows = db.execute().createQuery("""
                        SELECT c.role, u.id, u.username, u.display_name, u.created_at, u.deleted_at IS NOT NULL AS deleted
                        FROM conversation_members c JOIN users u ON u.id = c.user_id
                        WHERE c.conversation_id = CAST(:conversation AS uuid) AND c.active AND c.user_id > CAST(:after AS uuid)
                        ORDER BY c.user_id
                        LIMIT :limit""")
                .addParam("conversation", conversation)
                .addParam("after", afterUserId)
                .addParam("limit", limit)
                .execute()) {
            return rows.map(row -> Member.newBuilder()
                    .setUser(user(row, "id", "deleted"))
                    .setRole(Rows.string(row, "role").equals("admin") ? MemberRole.MEMBER_ROLE_ADMIN : MemberRole.MEMBER_ROLE_MEMBER)
                    .build()).toList();
        }
    }

    /** What creating a group came to. */
    sealed interface Creation {
        record Created(Conversation conversation) implements Creation {
        }

        /** Users that do not exist or deleted their account. */
        record Unknown(List<UUID> users) implements Creation {
        }

        record CreatorDeleted() implements Creation {
        }
    }

    /**
     * Creates the group and its first entry ("created", by the creator, for the others) in one
     * transaction: the group, the entry, every member's row (the creator as admin), their first
     * membership period, feed entries and the outbox event, like a group message's.
     */
    Creation createGroup(UUID creator, String title, List<UUID> others) {
        return Transactions.inTransaction(db, tx -> {
            List<UUID> everyone = new ArrayList<>();
            everyone.add(creator);
            everyone.addAll(others);
            FeedHeads heads = FeedHeads.lock(tx, everyone);
            if (heads.deleted(creator)) {
                return new Creation.CreatorDeleted();
            }
            List<UUID> unknown = others.stream().filter(user -> !heads.receives(user)).toList();
            if (!unknown.isEmpty()) {
                return new Creation.Unknown(unknown);
            }
            UUID group = UUID.randomUUID();
            Message created = tx.createGet("""
                            WITH opened AS (
                                INSERT INTO conversations (id, kind, title, created_by, member_count)
                                VALUES (CAST(:group AS uuid), 'group', :title, CAST(:creator AS uuid), :members)
                            ), entry AS (
                                INSERT INTO messages (sender_id, conversation_id, body, change_kind, change_users, change_title)
                                VALUES (CAST(:creator AS uuid), CAST(:group AS uuid), '', 'created', CAST(:others AS uuid[]), :title)
                                RETURNING *
                            )
                            SELECT %s FROM entry m""".formatted(MessageRows.columns("m")))
                    .addParam("group", group)
                    .addParam("title", title)
                    .addParam("creator", creator)
                    .addParam("members", everyone.size())
                    .addParam("others", others.stream().map(UUID::toString).toArray(String[]::new))
                    .execute()
                    .map(MessageRows::message)
                    .orElseThrow();
            Map<UUID, Long> seqs = new LinkedHashMap<>();
            everyone.forEach(user -> seqs.put(user, heads.lastSeqs().get(user) + 1));
            MessageRepository.Sent sent = new MessageRepository.Sent(created, Map.copyOf(seqs));
            tx.createInsert("""
                            WITH heads AS (
                                UPDATE feed_heads h SET last_seq = t.seq
                                FROM unnest(CAST(:users AS uuid[]), CAST(:seqs AS bigint[])) AS t(user_id, seq)
                                WHERE h.user_id = t.user_id
                            ), entries AS (
                                INSERT INTO feed_entries (user_id, seq, message_id)
                                SELECT t.user_id, t.seq, :entry FROM unnest(CAST(:users AS uuid[]), CAST(:seqs AS bigint[])) AS t(user_id, seq)
                            ), periods AS (
                                INSERT INTO membership_periods (conversation_id, user_id, joined_after)
                                SELECT CAST(:group AS uuid), t.user_id, 0 FROM unnest(CAST(:users AS uuid[])) AS t(user_id)
                            ), event AS (
                                INSERT INTO outbox (topic, record_key, payload) VALUES (:topic, :group, :payload)
                            )
                            INSERT INTO conversation_members (conversation_id, user_id, role, last_message_id, unread_count,
                                                              last_read_message_id)
                            SELECT CAST(:group AS uuid), t.user_id, CASE WHEN t.user_id = CAST(:creator AS uuid) THEN 'admin' ELSE 'member' END,
                                   :entry, 0, :entry
                            FROM unnest(CAST(:users AS uuid[])) AS t(user_id)""")
                    .addParam("users", seqs.keySet().stream().map(UUID::toString).toArray(String[]::new))
                    .addParam("seqs", seqs.values().toArray(Long[]::new))
                    .addParam("entry", created.getId())
                    .addParam("group", group.toString())
                    .addParam("creator", creator)
                    .addParam("topic", eventsTopic)
                    .addParam("payload", MessageRepository.event(sent))
                    .execute();
            return new Creation.Created(Conversation.newBuilder()
                    .setId(group.toString())
                    .setKind(ConversationKind.CONVERSATION_KIND_GROUP)
                    .setTitle(title)
                    .setMemberCount(everyone.size())
                    .setLastMessage(created)
                    .setLastReadMessageId(created.getId())
                    .build());
        });
    }

    private static Conversation conversation(DbRow row) {
        Message last = MessageRows.message(row);
        String title = Rows.nullableString(row, "title");
        Conversation.Builder conversation = Conversation.newBuilder()
                .setId(last.getConversationId())
                .setKind(Rows.string(row, "kind").equals("group") ? ConversationKind.CONVERSATION_KIND_GROUP
                        : ConversationKind.CONVERSATION_KIND_DIRECT)
                .setTitle(title == null ? "" : title)
                .setMemberCount((int) Rows.longValue(row, "member_count"))
                .setLastMessage(last)
                .setUnreadCount(Rows.longValue(row, "unread_count"))
                .setLastReadMessageId(Rows.longValue(row, "last_read_message_id"));
        if (Rows.nullableUuid(row, "peer_id") != null) {
            conversation.setPeer(user(row, "peer_id", "peer_deleted"));
        }
        return conversation.build();
    }

    private static User user(DbRow row, String idColumn, String deletedColumn) {
        return User.newBuilder()
                .setId(Rows.uuid(row, idColumn).toString())
                .setUsername(Rows.string(row, "username"))
                .setDisplayName(Rows.string(row, "display_name"))
                .setCreatedAt(ProtoTime.of(Rows.instant(row, "created_at")))
                .setDeleted(row.column(deletedColumn).get(Boolean.class))
                .build();
    }
}
