package dev.messenger.server.messagepath;

import dev.messenger.api.v1.SendMessageResponse;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.FeedRows;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent sends are stored several to a transaction (group commit) on the real PostgreSQL, and
 * what they leave behind is exactly what the same sends one by one would have left: feeds numbered
 * in message order, conversation rows with the right unread counts and read positions, and each
 * caller answered for its own send even when others in its batch fail.
 */
@ExtendWith(BackendExtension.class)
class GroupCommitTest {
    private static TestBackend backend;
    private static ManagedChannel channel;

    @BeforeAll
    static void backend(TestBackend started) {
        backend = started;
        channel = backend.newChannel();
    }

    @AfterAll
    static void closeChannel() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(120)
    void concurrentSendsShareTransactionsAndLeaveWhatOneByOneSendsWould() throws Exception {
        TestUser ann = TestUser.create(channel, "gc_ann");
        TestUser bob = TestUser.create(channel, "gc_bob");
        TestUser cat = TestUser.create(channel, "gc_cat");
        // Both directions between Ann and Bob, and Cat writing to both: every row kind in one batch.
        List<TestUser[]> routes = List.of(new TestUser[] {ann, bob}, new TestUser[] {bob, ann},
                new TestUser[] {cat, ann}, new TestUser[] {cat, bob}, new TestUser[] {ann, cat});
        int threadsPerRoute = 4;
        int sendsPerThread = 15;
        List<Callable<Void>> senders = new ArrayList<>();
        for (TestUser[] route : routes) {
            for (int t = 0; t < threadsPerRoute; t++) {
                senders.add(() -> {
                    for (int i = 0; i < sendsPerThread; i++) {
                        route[0].send(channel, route[1], "hello " + i, UUID.randomUUID().toString());
                    }
                    return null;
                });
            }
        }
        runTogether(senders);
        int total = routes.size() * threadsPerRoute * sendsPerThread;

        try (Connection db = backend.jdbc()) {
            List<UUID> users = List.of(ann.id(), bob.id(), cat.id());
            List<StoredMessage> messages = messagesAmong(db, users);
            assertEquals(total, messages.size());
            long transactions = messages.stream().mapToLong(StoredMessage::transaction).distinct().count();
            assertTrue(transactions < total, total + " sends from 20 threads all got their own transaction: no group commit");

            for (UUID user : users) {
                // Each feed is 1..n, and numbered in message id order, as one-by-one sends would number it.
                List<long[]> feed = FeedRows.entries(db, user);
                assertEquals(LongStream.rangeClosed(1, feed.size()).boxed().toList(), feed.stream().map(e -> e[0]).toList());
                for (int k = 1; k < feed.size(); k++) {
                    assertTrue(feed.get(k)[1] > feed.get(k - 1)[1], "feed of " + user + " out of message order at seq " + (k + 1));
                }
                assertEquals(feed.size(), scalar(db, "SELECT last_seq FROM feed_heads WHERE user_id = CAST(? AS uuid)", user));
                for (UUID peer : users) {
                    if (!peer.equals(user)) {
                        assertConversationAsIfOneByOne(db, messages, user, peer);
                    }
                }
            }
        }
        System.out.printf("[group commit] %d concurrent sends%n", total);
    }

    @Test
    @Timeout(60)
    void eachCallerGetsTheAnswerForItsOwnSendWhateverElseIsInItsBatch() throws Exception {
        TestUser ann = TestUser.create(channel, "gc_mix_a");
        TestUser bob = TestUser.create(channel, "gc_mix_b");
        TestUser nobody = new TestUser(UUID.randomUUID(), "nobody", "", ann.token());
        String repeated = UUID.randomUUID().toString();
        List<Callable<Object>> sends = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int index = i;
            sends.add(() -> ann.send(channel, bob, "fine " + index, UUID.randomUUID().toString()));
        }
        sends.add(() -> ann.send(channel, nobody, "to no one", UUID.randomUUID().toString()));
        sends.add(() -> ann.send(channel, bob, "once", repeated));
        sends.add(() -> ann.send(channel, bob, "once", repeated));
        List<Object> outcomes = runTogether(sends);

        for (int i = 0; i < 8; i++) {
            SendMessageResponse fine = assertInstanceOf(SendMessageResponse.class, outcomes.get(i));
            assertEquals("fine " + i, fine.getMessage().getText());
            assertTrue(!fine.getDuplicate());
        }
        StatusRuntimeException unknown = assertInstanceOf(StatusRuntimeException.class, outcomes.get(8));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
        SendMessageResponse first = assertInstanceOf(SendMessageResponse.class, outcomes.get(9));
        SendMessageResponse second = assertInstanceOf(SendMessageResponse.class, outcomes.get(10));
        assertEquals(first.getMessage().getId(), second.getMessage().getId(), "one message for the repeated client id");
        assertEquals(1, (first.getDuplicate() ? 1 : 0) + (second.getDuplicate() ? 1 : 0), "one original, one duplicate");

        try (Connection db = backend.jdbc()) {
            assertEquals(9, scalar(db, "SELECT count(*) FROM messages WHERE sender_id = CAST(? AS uuid)", ann.id()));
            assertEquals(LongStream.rangeClosed(1, 9).boxed().toList(), FeedRows.entries(db, bob.id()).stream().map(e -> e[0]).toList());
            assertEquals(9, scalar(db, "SELECT unread_count FROM conversation_members WHERE user_id = CAST(? AS uuid)", bob.id()));
            // A repeat with other content is refused, and stores nothing.
            StatusRuntimeException misuse = assertInstanceOf(StatusRuntimeException.class,
                    runTogether(List.of(() -> ann.send(channel, bob, "not once", repeated))).getFirst());
            assertEquals(Status.Code.ALREADY_EXISTS, misuse.getStatus().getCode());
            assertEquals(9, scalar(db, "SELECT count(*) FROM messages WHERE sender_id = CAST(? AS uuid)", ann.id()));
            assertEquals(9, scalar(db, "SELECT last_seq FROM feed_heads WHERE user_id = CAST(? AS uuid)", bob.id()));
        }
    }

    /**
     * Replays the pair's messages in id order and checks the owner's conversation row: last message,
     * read up to the owner's own last message, unread = the peer's messages after it.
     */
    private static void assertConversationAsIfOneByOne(Connection db, List<StoredMessage> messages, UUID owner, UUID peer)
            throws SQLException {
        long lastMessage = 0;
        long lastRead = 0;
        long unread = 0;
        for (StoredMessage message : messages) {
            if (message.sender().equals(owner) && message.recipient().equals(peer)) {
                lastMessage = message.id();
                lastRead = message.id();
                unread = 0;
            } else if (message.sender().equals(peer) && message.recipient().equals(owner)) {
                lastMessage = message.id();
                unread++;
            }
        }
        try (PreparedStatement query = db.prepareStatement("""
                SELECT last_message_id, last_read_message_id, unread_count FROM conversation_members
                WHERE user_id = CAST(? AS uuid) AND peer_id = CAST(? AS uuid)""")) {
            query.setString(1, owner.toString());
            query.setString(2, peer.toString());
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), "conversation of " + owner + " with " + peer);
                assertEquals(List.of(lastMessage, lastRead, unread), List.of(row.getLong(1), row.getLong(2), row.getLong(3)),
                        "last message, last read, unread of " + owner + " with " + peer);
            }
        }
    }

    private record StoredMessage(long id, UUID sender, UUID recipient, long transaction) {
    }

    /** The messages the users sent, by id, with the transaction that inserted each. */
    private static List<StoredMessage> messagesAmong(Connection db, List<UUID> users) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("""
                SELECT id, sender_id, recipient_id, xmin::text::bigint FROM messages
                WHERE sender_id = ANY(CAST(? AS uuid[])) ORDER BY id""")) {
            query.setArray(1, db.createArrayOf("uuid", users.toArray()));
            List<StoredMessage> rows = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rows.add(new StoredMessage(row.getLong(1), row.getObject(2, UUID.class), row.getObject(3, UUID.class), row.getLong(4)));
                }
            }
            return rows;
        }
    }

    private static long scalar(Connection db, String sql, UUID parameter) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, parameter.toString());
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), sql);
                return row.getLong(1);
            }
        }
    }

    /** Starts every call at the same moment, each on its own thread; returns each result or the exception it threw. */
    private static <T> List<Object> runTogether(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch ready = new CountDownLatch(calls.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    try {
                        return call.call();
                    } catch (StatusRuntimeException e) {
                        return e;
                    }
                }));
            }
            assertTrue(ready.await(10, TimeUnit.SECONDS));
            go.countDown();
            List<Object> results = new ArrayList<>();
            for (Future<Object> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
