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
            SELECT c.unread_count, c.last_read_message_id, c.active, k.kind, k.title, k.member_count,
                   u.id AS peer_id, u.username, u.display_name, u.created_at, u.deleted_at IS NOT NULL AS peer_deleted,
                   %s
            FROM conversation_members c
            JOIN conversations k ON k.id = c.conversation_id
            LEFT JOIN users u ON u.id = c.peer_id
            JOIN messages m ON m.id = c.last_message_id
            """.formatted(MessageRows.columns("m"));

    /**
     * The start of a statement that numbers an entry ({@code :entry}) in the feeds of {@code :users}
     * under {@code :seqs} (their locked heads plus one) and moves the heads; the rest of the
     * statement continues its WITH list.
     */
    private static final String ENTRY_IN_FEEDS = """
            WITH heads AS (
                UPDATE feed_heads h SET last_seq = t.seq
                FROM unnest(CAST(:users AS uuid[]), CAST(:seqs AS bigint[])) AS t(user_id, seq)
                WHERE h.user_id = t.user_id
            ), entries AS (
                INSERT INTO feed_entries (user_id, seq, message_id)
                SELECT t.user_id, t.seq, :entry FROM unnest(CAST(:users AS uuid[]), CAST(:seqs AS bigint[])) AS t(user_id, seq)
            ),""";

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
            tx.createInsert(ENTRY_IN_FEEDS + """
                            periods AS (
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

    /** A change to a group's members or title, made by one of its members. */
    sealed interface Change {
        /** @param users not yet members */
        record Add(List<UUID> users) implements Change {
        }

        record Remove(UUID user) implements Change {
        }

        record Leave() implements Change {
        }

        record Rename(String title) implements Change {
        }
    }

    /** What a change came to. */
    sealed interface ChangeOutcome {
        record Changed(Message entry) implements ChangeOutcome {
        }

        /** No such group, or the caller is no member of it. */
        record NoGroup() implements ChangeOutcome {
        }

        /** A direct conversation has no members to change. */
        record NotAGroup() implements ChangeOutcome {
        }

        /** Already so: the users are members, the title is the same. */
        record Unchanged() implements ChangeOutcome {
        }

        record AdminsOnly() implements ChangeOutcome {
        }

        /** The user to remove is no member. */
        record NoSuchMember() implements ChangeOutcome {
        }

        record LastAdmin() implements ChangeOutcome {
        }

        record TooMany() implements ChangeOutcome {
        }

        /** Users that do not exist or deleted their account. */
        record Unknown(List<UUID> users) implements ChangeOutcome {
        }
    }

    /**
     * Makes the change and records it, in one transaction: the group's row is locked for update
     * first (group sends share-lock it, so the change waits for sends in flight and later sends see
     * the new members), then the entry that records it is written like a group message, to every
     * member after the change and to whoever it removed, so their client learns of it.
     */
    ChangeOutcome change(UUID group, UUID caller, Change change, int maxMembers) {
        return Transactions.inTransaction(db, tx -> {
            Optional<DbRow> locked = tx.createGet("""
                            SELECT k.kind, k.title, c.role
                            FROM conversations k JOIN conversation_members c ON c.conversation_id = k.id
                            WHERE k.id = CAST(:group AS uuid) AND c.user_id = CAST(:caller AS uuid) AND c.active
                            FOR UPDATE OF k""")
                    .addParam("group", group)
                    .addParam("caller", caller)
                    .execute();
            if (locked.isEmpty()) {
                return new ChangeOutcome.NoGroup();
            }
            DbRow row = locked.get();
            if (!Rows.string(row, "kind").equals("group")) {
                return new ChangeOutcome.NotAGroup();
            }
            boolean admin = Rows.string(row, "role").equals("admin");
            String title = Rows.string(row, "title");
            List<UUID> current = new ArrayList<>();
            List<UUID> admins = new ArrayList<>();
            try (var rows = tx.createQuery("""
                            SELECT user_id, role FROM conversation_members
                            WHERE conversation_id = CAST(:group AS uuid) AND active ORDER BY user_id""")
                    .addParam("group", group)
                    .execute()) {
                rows.forEach(member -> {
                    current.add(Rows.uuid(member, "user_id"));
                    if (Rows.string(member, "role").equals("admin")) {
                        admins.add(Rows.uuid(member, "user_id"));
                    }
                });
            }
            List<UUID> joining = List.of();
            UUID leaving = null;
            String kind;
            String newTitle = title;
            switch (change) {
                case Change.Add add -> {
                    joining = add.users().stream().filter(user -> !current.contains(user)).toList();
                    if (joining.isEmpty()) {
                        return new ChangeOutcome.Unchanged();
                    }
                    if (current.size() + joining.size() > maxMembers) {
                        return new ChangeOutcome.TooMany();
                    }
                    kind = "added";
                }
                case Change.Remove remove -> {
                    if (!admin) {
                        return new ChangeOutcome.AdminsOnly();
                    }
                    if (!current.contains(remove.user())) {
                        return new ChangeOutcome.NoSuchMember();
                    }
                    if (admins.equals(List.of(remove.user()))) {
                        return new ChangeOutcome.LastAdmin();
                    }
                    leaving = remove.user();
                    kind = "removed";
                }
                case Change.Leave ignored -> {
                    leaving = caller;
                    kind = "left";
                }
                case Change.Rename rename -> {
                    if (!admin) {
                        return new ChangeOutcome.AdminsOnly();
                    }
                    if (rename.title().equals(title)) {
                        return new ChangeOutcome.Unchanged();
                    }
                    newTitle = rename.title();
                    kind = "renamed";
                }
            }
            UUID gone = leaving;
            List<UUID> receivers = new ArrayList<>(current);
            receivers.addAll(joining);
            FeedHeads heads = FeedHeads.lock(tx, receivers);
            List<UUID> unknown = joining.stream().filter(user -> !heads.receives(user)).toList();
            if (!unknown.isEmpty()) {
                return new ChangeOutcome.Unknown(unknown);
            }
            List<UUID> concerned = !joining.isEmpty() ? joining : gone != null && !gone.equals(caller) ? List.of(gone) : List.of();
            Message entry = tx.createGet("""
                            INSERT INTO messages (sender_id, conversation_id, body, change_kind, change_users, change_title)
                            VALUES (CAST(:caller AS uuid), CAST(:group AS uuid), '', :kind, CAST(:users AS uuid[]), :title)
                            RETURNING %s""".formatted(MessageRows.columns("messages")))
                    .addParam("caller", caller)
                    .addParam("group", group)
                    .addParam("kind", kind)
                    .addParam("users", concerned.stream().map(UUID::toString).toArray(String[]::new))
                    .addParam("title", newTitle)
                    .execute()
                    .map(MessageRows::message)
                    .orElseThrow();
            // The one who leaves or is removed learns of it too, as the last entry they receive.
            Map<UUID, Long> seqs = new LinkedHashMap<>();
            receivers.stream().filter(heads::receives).forEach(user -> seqs.put(user, heads.lastSeqs().get(user) + 1));
            List<UUID> stay = receivers.stream().filter(user -> !user.equals(gone)).toList();
            // A group is never without an admin: the last one who leaves makes the first remaining member
            // (in user id order) one.
            UUID promoted = gone != null && admins.equals(List.of(gone)) && !stay.isEmpty() ? stay.getFirst() : null;
            tx.createInsert(ENTRY_IN_FEEDS + """
                            joined AS (
                                INSERT INTO membership_periods (conversation_id, user_id, joined_after)
                                SELECT CAST(:group AS uuid), t.user_id, :entry - 1 FROM unnest(CAST(:joining AS uuid[])) AS t(user_id)
                            ), left_group AS (
                                UPDATE membership_periods SET left_at = :entry
                                WHERE conversation_id = CAST(:group AS uuid) AND user_id = CAST(NULLIF(:leaving, '') AS uuid)
                                  AND left_at IS NULL
                            ), renamed AS (
                                UPDATE conversations SET title = :title, member_count = :count WHERE id = CAST(:group AS uuid)
                            ), event AS (
                                INSERT INTO outbox (topic, record_key, payload) VALUES (:topic, CAST(:group AS text), :payload)
                            )
                            INSERT INTO conversation_members AS c (conversation_id, user_id, role, last_message_id, unread_count,
                                                                   last_read_message_id, active)
                            SELECT CAST(:group AS uuid), t.user_id, 'member', :entry, 0, :entry, true
                            FROM unnest(CAST(:users AS uuid[])) AS t(user_id)
                            ON CONFLICT (conversation_id, user_id) DO UPDATE
                            SET last_message_id = EXCLUDED.last_message_id,
                                active = c.user_id IS DISTINCT FROM CAST(NULLIF(:leaving, '') AS uuid),
                                role = CASE WHEN c.user_id = CAST(NULLIF(:promoted, '') AS uuid) THEN 'admin'
                                            WHEN NOT c.active THEN 'member' ELSE c.role END,
                                unread_count = CASE WHEN c.active THEN c.unread_count ELSE 0 END,
                                last_read_message_id = CASE WHEN c.active THEN c.last_read_message_id ELSE EXCLUDED.last_read_message_id END""")
                    .addParam("users", seqs.keySet().stream().map(UUID::toString).toArray(String[]::new))
                    .addParam("seqs", seqs.values().toArray(Long[]::new))
                    .addParam("entry", entry.getId())
                    .addParam("group", group.toString())
                    .addParam("joining", joining.stream().map(UUID::toString).toArray(String[]::new))
                    .addParam("leaving", gone == null ? "" : gone.toString())
                    .addParam("promoted", promoted == null ? "" : promoted.toString())
                    .addParam("title", newTitle)
                    .addParam("count", stay.size())
                    .addParam("topic", eventsTopic)
                    .addParam("payload", MessageRepository.event(new MessageRepository.Sent(entry, Map.copyOf(seqs))))
                    .execute();
            return new ChangeOutcome.Changed(entry);
        });
    }

    private static Conversation conversation(DbRow row) {
        Message last = MessageRows.message(row);
        // Who left or was removed sees the group as it was then: their last entry records its title.
        String title = row.column("active").get(Boolean.class) ? Rows.nullableString(row, "title")
                : last.getMembershipChange().getTitle();
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
