package dev.messenger.loadtest;

import dev.messenger.api.v1.GetHistoryRequest;
import dev.messenger.api.v1.ListConversationsRequest;
import dev.messenger.api.v1.ListConversationsResponse;
import dev.messenger.api.v1.LoginRequest;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.RegisterRequest;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.client.BearerToken;
import dev.messenger.client.MessengerChannels;
import dev.messenger.messages.DirectConversation;
import io.grpc.ManagedChannel;
import jakarta.json.Json;
import org.postgresql.PGConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * History at scale: seeds the messages table (COPY) with one conversation of a million messages,
 * a user with a thousand conversations and millions of other messages, then measures GetHistory
 * pages (newest and deep, by cursor) and ListConversations, and records the query plans.
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "GetHistory and ListConversations latency on a large messages table, with the query plans.")
final class HistoryScenario implements Callable<Integer> {
    @Option(names = "--data-dir", description = "Where the embedded PostgreSQL and Kafka keep their data. Default: a new temporary directory.")
    Path dataDir;

    @Option(names = "--messages", defaultValue = "10000000", description = "Messages in total (>= 2 x --big). Default: ${DEFAULT-VALUE}.")
    long messages;

    @Option(names = "--big", defaultValue = "1000000", description = "Messages in the one big conversation. Default: ${DEFAULT-VALUE}.")
    long big;

    @Option(names = "--conversations", defaultValue = "1000", description = "Conversations of the measured user. Default: ${DEFAULT-VALUE}.")
    int conversations;

    @Option(names = "--samples", defaultValue = "500", description = "Calls measured per kind of page. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--out", defaultValue = "target/loadtest/history.json", description = "Where the JSON results go. Default: ${DEFAULT-VALUE}.")
    Path out;

    private static final int OTHER_USERS = 10_000;

    @Override
    public Integer call() throws Exception {
        if (big < 10 || messages < 2 * big || conversations < 1 || conversations > OTHER_USERS || samples < 1) {
            System.err.println("Need --big >= 10, --messages >= 2 x --big, 1 <= --conversations <= " + OTHER_USERS + ", --samples >= 1");
            return 2;
        }
        try (Backend backend = Backend.embedded(dataDir, Map.of())) {
            return run(backend);
        }
    }

    private int run(Backend backend) throws Exception {
        ManagedChannel channel = MessengerChannels.plaintext(backend.target());
        try (Connection db = DriverManager.getConnection(backend.jdbcUrl().orElseThrow(), backend.jdbcUser(), backend.jdbcPassword())) {
            var users = UsersServiceGrpc.newBlockingStub(channel);
            String run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
            String alice = users.register(RegisterRequest.newBuilder().setUsername("hist" + run + "_a").setPassword("load-test-password").build()).getUser().getId();
            String bob = users.register(RegisterRequest.newBuilder().setUsername("hist" + run + "_b").setPassword("load-test-password").build()).getUser().getId();
            String token = users.login(LoginRequest.newBuilder().setUsername("hist" + run + "_a").setPassword("load-test-password").build()).getToken();

            List<String> others = seedUsers(db, run);
            long seedStart = System.nanoTime();
            seedMessages(db, alice, bob, others);
            System.out.printf("Seeded %,d messages in %.0f s%n", messages, (System.nanoTime() - seedStart) / 1e9);

            var messagesStub = MessagesServiceGrpc.newBlockingStub(channel).withCallCredentials(BearerToken.of(token));
            Latency newest = new Latency();
            Latency deep = new Latency();
            Latency list = new Latency();
            long[] ids = bigConversationIds(db, alice, bob);
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < samples / 10; i++) {
                messagesStub.getHistory(GetHistoryRequest.newBuilder().setPeerId(bob).setLimit(50).build());
            }
            for (int i = 0; i < samples; i++) {
                long started = System.nanoTime();
                int got = messagesStub.getHistory(GetHistoryRequest.newBuilder().setPeerId(bob).setLimit(50).build()).getMessagesCount();
                newest.record(System.nanoTime() - started);
                check(got == 50, "a newest page holds 50 messages");
                long before = ids[random.nextInt(ids.length)];
                started = System.nanoTime();
                messagesStub.getHistory(GetHistoryRequest.newBuilder().setPeerId(bob).setBeforeId(before).setLimit(50).build());
                deep.record(System.nanoTime() - started);
                started = System.nanoTime();
                ListConversationsResponse page = messagesStub.listConversations(ListConversationsRequest.newBuilder().setLimit(50).build());
                list.record(System.nanoTime() - started);
                check(page.getConversationsCount() == Math.min(50, conversations + 1), "a conversation page is full");
            }
            System.out.printf("GetHistory newest page     %s%n", newest.summary());
            System.out.printf("GetHistory deep page       %s%n", deep.summary());
            System.out.printf("ListConversations (%,d)  %s%n", conversations + 1, list.summary());

            String historyPlan = explain(db, """
                    SELECT m.id, m.sender_id, m.recipient_id, m.body, m.client_message_id, m.sent_at, m.conversation_id,
                           m.change_kind, array_to_string(m.change_users, ',') AS change_users, m.change_title
                    FROM messages m
                    WHERE m.conversation_id = CAST(? AS uuid) AND m.id < ?
                      AND EXISTS (SELECT 1 FROM unnest(CAST(? AS bigint[]), CAST(? AS bigint[])) AS p(after_id, up_to)
                                  WHERE m.id > p.after_id AND m.id <= p.up_to)
                    ORDER BY m.id DESC LIMIT 51""",
                    bigConversation(alice, bob), ids[ids.length / 2], new Long[] {0L}, new Long[] {Long.MAX_VALUE});
            String conversationsPlan = explain(db, """
                    SELECT c.unread_count, c.last_read_message_id, k.kind, k.title, k.member_count,
                           u.id AS peer_id, u.username, u.display_name, u.created_at,
                           m.id, m.sender_id, m.recipient_id, m.body, m.client_message_id, m.sent_at, m.conversation_id
                    FROM conversation_members c JOIN conversations k ON k.id = c.conversation_id
                    LEFT JOIN users u ON u.id = c.peer_id JOIN messages m ON m.id = c.last_message_id
                    WHERE c.user_id = CAST(? AS uuid) AND c.last_message_id < ? ORDER BY c.last_message_id DESC LIMIT 51""",
                    alice, Long.MAX_VALUE);
            System.out.println("Plan, deep history page:\n" + historyPlan);
            System.out.println("Plan, conversation list:\n" + conversationsPlan);
            boolean noSeqScan = !historyPlan.contains("Seq Scan on messages") && !conversationsPlan.contains("Seq Scan on messages");

            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, Json.createObjectBuilder()
                    .add("scenario", "history").add("messages", messages).add("big_conversation", big)
                    .add("conversations_of_user", conversations + 1).add("samples", samples)
                    .add("history_newest_page", newest.json()).add("history_deep_page", deep.json())
                    .add("list_conversations", list.json())
                    .add("plan_history", historyPlan).add("plan_conversations", conversationsPlan)
                    .add("no_seq_scan_on_messages", noSeqScan)
                    .build().toString());
            System.out.println("Results written to " + out.toAbsolutePath());
            return noSeqScan ? 0 : 1;
        } finally {
            channel.shutdownNow();
        }
    }

    private List<String> seedUsers(Connection db, String run) throws SQLException {
        List<String> ids = new ArrayList<>(OTHER_USERS);
        db.setAutoCommit(false);
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO users (id, username, display_name, password_hash) VALUES (CAST(? AS uuid), ?, ?, 'not-a-hash')")) {
            for (int i = 0; i < OTHER_USERS; i++) {
                String id = UUID.randomUUID().toString();
                insert.setString(1, id);
                insert.setString(2, "h" + run + "_" + i);
                insert.setString(3, "History user " + i);
                insert.addBatch();
                ids.add(id);
            }
            insert.executeBatch();
        }
        db.commit();
        db.setAutoCommit(true);
        return ids;
    }

    /** COPY: the big conversation, the measured user's other conversations, and random pairs for the rest. */
    private void seedMessages(Connection db, String alice, String bob, List<String> others) throws Exception {
        long perConversation = 10;
        long otherMessages = messages - big - conversations * perConversation;
        check(otherMessages >= 0, "--messages holds the big conversation and the user's conversations");
        SplittableRandom random = new SplittableRandom(42);
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        Reader rows = new Reader() {
            private final StringBuilder buffer = new StringBuilder();
            private int position;
            private long row;

            @Override
            public int read(char[] target, int offset, int length) {
                if (position >= buffer.length()) {
                    buffer.setLength(0);
                    position = 0;
                    for (int i = 0; i < 1000 && row < messages; i++, row++) {
                        String from;
                        String to;
                        long conversationRows = (long) conversations * perConversation;
                        long bigStride = Math.max(1, (messages - conversationRows) / big);
                        long rest = row - conversationRows;
                        if (row < conversationRows) {
                            String peer = others.get((int) (row % conversations));
                            from = row % 2 == 0 ? alice : peer;
                            to = from.equals(alice) ? peer : alice;
                        } else if (rest % bigStride == 0 && rest / bigStride < big) {
                            // Interleaved, so the big conversation's ids spread over the table as in real life.
                            from = rest % 2 == 0 ? alice : bob;
                            to = from.equals(alice) ? bob : alice;
                        } else {
                            int a = random.nextInt(others.size());
                            int b = (a + 1 + random.nextInt(others.size() - 1)) % others.size();
                            from = others.get(a);
                            to = others.get(b);
                        }
                        buffer.append(from).append('\t').append(to).append('\t')
                                .append(DirectConversation.id(UUID.fromString(from), UUID.fromString(to))).append('\t')
                                .append("Seeded message number ").append(row)
                                .append('\t').append(base.plusSeconds(row)).append('\n');
                    }
                    if (row % 1_000_000 < 1000 && buffer.length() > 0) {
                        System.out.printf("  seeded %,d / %,d%n", row, messages);
                    }
                    if (buffer.isEmpty()) {
                        return -1;
                    }
                }
                int n = Math.min(length, buffer.length() - position);
                buffer.getChars(position, position + n, target, offset);
                position += n;
                return n;
            }

            @Override
            public void close() {
            }
        };
        try (Statement statement = db.createStatement()) {
            // Bulk loading: the conversations go in after their messages, then the key is checked once.
            statement.execute("ALTER TABLE messages DROP CONSTRAINT messages_conversation_id_fkey");
        }
        try {
            db.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY messages (sender_id, recipient_id, conversation_id, body, sent_at) FROM STDIN", rows);
        } catch (IOException e) {
            throw new SQLException(e);
        }
        try (Statement statement = db.createStatement()) {
            statement.execute("""
                    INSERT INTO conversations (id, kind, member_count)
                    SELECT DISTINCT conversation_id, 'direct', 2 FROM messages ON CONFLICT (id) DO NOTHING""");
            statement.execute("""
                    ALTER TABLE messages ADD CONSTRAINT messages_conversation_id_fkey FOREIGN KEY (conversation_id)
                        REFERENCES conversations (id) DEFERRABLE INITIALLY DEFERRED""");
            // The measured user's member rows, as sends would have left them.
            statement.execute("""
                    INSERT INTO conversation_members (conversation_id, user_id, peer_id, last_message_id, unread_count,
                                                      last_read_message_id)
                    SELECT conversation_id, CAST('%1$s' AS uuid),
                           (array_agg(CASE WHEN sender_id = CAST('%1$s' AS uuid) THEN recipient_id ELSE sender_id END))[1],
                           max(id), 0, max(id)
                    FROM messages WHERE sender_id = CAST('%1$s' AS uuid) OR recipient_id = CAST('%1$s' AS uuid)
                    GROUP BY conversation_id""".formatted(alice));
            statement.execute("ANALYZE");
        }
    }

    private static String bigConversation(String alice, String bob) {
        return DirectConversation.id(UUID.fromString(alice), UUID.fromString(bob)).toString();
    }

    private static long[] bigConversationIds(Connection db, String alice, String bob) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(
                "SELECT id FROM messages WHERE conversation_id = CAST(? AS uuid) ORDER BY id")) {
            query.setString(1, bigConversation(alice, bob));
            List<Long> ids = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    ids.add(result.getLong(1));
                }
            }
            return ids.stream().mapToLong(Long::longValue).toArray();
        }
    }

    private static String explain(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement explain = db.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            for (int i = 0; i < parameters.length; i++) {
                explain.setObject(i + 1, parameters[i]);
            }
            StringBuilder plan = new StringBuilder();
            try (ResultSet result = explain.executeQuery()) {
                while (result.next()) {
                    plan.append(result.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("Check failed: " + what);
        }
    }
}
