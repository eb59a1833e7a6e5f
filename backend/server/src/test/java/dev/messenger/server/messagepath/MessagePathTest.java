package dev.messenger.server.messagepath;

import dev.messenger.api.v1.FeedEvent;
import dev.messenger.api.v1.FeedMessage;
import dev.messenger.api.v1.NotificationsServiceGrpc;
import dev.messenger.api.v1.SendMessageResponse;
import dev.messenger.api.v1.SubscribeRequest;
import dev.messenger.notifications.NotificationsModule;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.FeedRows;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The message path end to end, with real gRPC clients against the real server: durability of a
 * send, gap-free per-user feed numbers under concurrency, exactly-once in-order delivery across
 * reconnects and Kafka outages, idempotent sends, isolation from slow subscribers, and cleanup of
 * dead streams.
 */
@ExtendWith(BackendExtension.class)
class MessagePathTest {
    private static TestBackend backend;

    @BeforeAll
    static void backend(TestBackend started) {
        backend = started;
    }

    // ---------------------------------------------------------------------------------------------
    // 1. Durability
    // ---------------------------------------------------------------------------------------------

    @Test
    @Timeout(60)
    void sendReturnsOnlyAfterTheMessageIsStored() throws Exception {
        ManagedChannel channel = backend.newChannel();
        try (Connection db = backend.jdbc()) {
            TestUser alice = TestUser.create(channel, "dur_a");
            TestUser bob = TestUser.create(channel, "dur_b");
            long started = System.nanoTime();
            for (int i = 1; i <= 20; i++) {
                String text = "durable " + i;
                String clientId = UUID.randomUUID().toString();
                TestUser from = i % 2 == 0 ? alice : bob;
                TestUser to = i % 2 == 0 ? bob : alice;
                SendMessageResponse response = from.send(channel, to, text, clientId);
                long id = response.getMessage().getId();
                // Queried right after the call returned, over a separate connection.
                try (PreparedStatement query = db.prepareStatement(
                        "SELECT sender_id, recipient_id, body, client_message_id FROM messages WHERE id = ?")) {
                    query.setLong(1, id);
                    try (ResultSet row = query.executeQuery()) {
                        assertTrue(row.next(), "message " + id + " not in PostgreSQL right after SendMessage returned");
                        assertEquals(response.getMessage().getSenderId(), row.getString("sender_id"));
                        assertEquals(response.getMessage().getRecipientId(), row.getString("recipient_id"));
                        assertEquals(text, row.getString("body"));
                        assertEquals(clientId, row.getString("client_message_id"));
                    }
                }
                // Both feed entries were written in the same transaction.
                assertEquals(2, count(db, "SELECT count(*) FROM feed_entries WHERE message_id = ?", id),
                        "feed entries of message " + id);
            }
            assertEquals(LongStream.rangeClosed(1, 20).boxed().toList(), feedSeqs(db, alice.id()));
            assertEquals(LongStream.rangeClosed(1, 20).boxed().toList(), feedSeqs(db, bob.id()));
            System.out.printf("[durability] 20 sends verified in PostgreSQL in %d ms%n", millisSince(started));
        } finally {
            shutdown(channel);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 2. Gap-free per-user seqs in commit order under concurrency
    // ---------------------------------------------------------------------------------------------

    @Test
    @Timeout(120)
    void concurrentSendsGiveGapFreeFeedsDeliveredExactlyOnceInOrder() throws Exception {
        final int senders = 8;
        final int perSender = 50;
        ManagedChannel channel = backend.newChannel();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        FeedCollector feed = null;
        try (Connection db = backend.jdbc()) {
            TestUser recipient = TestUser.create(channel, "seq_r");
            List<TestUser> users = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                users.add(TestUser.create(channel, "seq_s" + i));
            }
            feed = FeedCollector.open(backend, recipient, 0, false);
            feed.awaitHeartbeat(Duration.ofSeconds(10));

            AtomicInteger crossSends = new AtomicInteger();
            long started = System.nanoTime();
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                int index = i;
                work.add(pool.submit(() -> {
                    TestUser me = users.get(index);
                    TestUser neighbour = users.get((index + 1) % senders);
                    for (int j = 0; j < perSender; j++) {
                        me.send(channel, recipient, "s" + index + "-" + j, UUID.randomUUID().toString());
                        if (j % 5 == 0) {
                            // Sends between the senders contend for their feed heads in both orders.
                            me.send(channel, neighbour, "x" + index + "-" + j, UUID.randomUUID().toString());
                            crossSends.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            awaitAll(work, Duration.ofSeconds(90));
            long sendMillis = millisSince(started);
            int total = senders * perSender;

            // PostgreSQL: the recipient's feed is exactly 1..N, and seq order is the order in which
            // the sends took the recipient's feed lock (message ids are drawn under that lock).
            List<long[]> entries = FeedRows.entries(db, recipient.id());
            assertEquals(LongStream.rangeClosed(1, total).boxed().toList(), entries.stream().map(e -> e[0]).toList(),
                    "recipient's feed seqs");
            for (int k = 1; k < entries.size(); k++) {
                assertTrue(entries.get(k)[1] > entries.get(k - 1)[1],
                        "message ids must increase with seq (commit order) at seq " + entries.get(k)[0]);
            }
            assertEquals(total, feedHead(db, recipient.id()));
            // Every sender's feed is gap-free as well, despite the cross traffic.
            for (TestUser user : users) {
                List<Long> seqs = feedSeqs(db, user.id());
                assertEquals(LongStream.rangeClosed(1, seqs.size()).boxed().toList(), seqs, "feed of " + user.username());
                assertEquals(seqs.size(), feedHead(db, user.id()));
                assertEquals(perSender + 10 + 10, seqs.size(), "sent 50 + 10 cross, received 10 cross");
            }

            // The live subscriber got every message exactly once, in seq order, matching the database.
            feed.awaitMessages(total, Duration.ofSeconds(30));
            long deliverMillis = millisSince(started);
            List<FeedMessage> received = feed.messages();
            assertExactlyOnceInOrder(received, 1, total);
            assertEquals(entries.stream().map(e -> e[1]).toList(), received.stream().map(m -> m.getMessage().getId()).toList(),
                    "delivered message ids, in seq order, equal the database's");
            // Each sender's messages arrive in the order that sender sent them.
            Map<String, Integer> nextPerSender = new HashMap<>();
            for (FeedMessage m : received) {
                String[] parts = m.getMessage().getText().substring(1).split("-");
                int expected = nextPerSender.getOrDefault(parts[0], 0);
                assertEquals(expected, Integer.parseInt(parts[1]), "order of sender " + parts[0]);
                nextPerSender.put(parts[0], expected + 1);
            }
            feed.assertNoError();
            System.out.printf("[seq] %d sends to one recipient (+%d cross) by %d threads: sent in %d ms, all delivered after %d ms%n",
                    total, crossSends.get(), senders, sendMillis, deliverMillis);
        } finally {
            pool.shutdownNow();
            if (feed != null) {
                feed.close();
            }
            shutdown(channel);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 3. Reconnect mid-way, and the sender's other session
    // ---------------------------------------------------------------------------------------------

    @Test
    @Timeout(120)
    void resubscribingAfterDisconnectMissesNothingAndRepeatsNothing() throws Exception {
        final int senders = 4;
        final int perSender = 60;
        final int total = senders * perSender;
        ManagedChannel channel = backend.newChannel();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        FeedCollector first = null;
        FeedCollector second = null;
        FeedCollector senderFeed = null;
        try (Connection db = backend.jdbc()) {
            TestUser recipient = TestUser.create(channel, "rec_r");
            List<TestUser> users = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                users.add(TestUser.create(channel, "rec_s" + i));
            }
            // The first sender's second session watches its own feed.
            TestUser senderOtherSession = users.getFirst().newSession(channel);
            senderFeed = FeedCollector.open(backend, senderOtherSession, 0, false);
            first = FeedCollector.open(backend, recipient, 0, false);
            first.awaitHeartbeat(Duration.ofSeconds(10));
            senderFeed.awaitHeartbeat(Duration.ofSeconds(10));

            List<String> sentBySender0 = new ArrayList<>();
            long started = System.nanoTime();
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                int index = i;
                work.add(pool.submit(() -> {
                    for (int j = 0; j < perSender; j++) {
                        String clientId = "c" + index + "_" + j + "_" + UUID.randomUUID();
                        users.get(index).send(channel, recipient, "s" + index + "-" + j, clientId);
                        if (index == 0) {
                            synchronized (sentBySender0) {
                                sentBySender0.add(clientId);
                            }
                        }
                        Thread.sleep(20);
                    }
                    return null;
                }));
            }

            // Drop the first feed mid-way, the way a vanished client does: its connection goes.
            first.awaitMessages(total / 4, Duration.ofSeconds(30));
            first.closeAndAwaitEnd();
            List<FeedMessage> beforeDisconnect = first.messages();
            long lastSeen = beforeDisconnect.getLast().getSeq();
            assertExactlyOnceInOrder(beforeDisconnect, 1, beforeDisconnect.size());
            Thread.sleep(300); // senders keep going while nobody listens
            assertFalse(allDone(work), "the senders should still be running when the client resubscribes");

            second = FeedCollector.open(backend, recipient, lastSeen, false);
            awaitAll(work, Duration.ofSeconds(90));
            second.awaitMessages(total - beforeDisconnect.size(), Duration.ofSeconds(30));

            List<FeedMessage> all = new ArrayList<>(beforeDisconnect);
            all.addAll(second.messages());
            assertExactlyOnceInOrder(all, 1, total);
            assertEquals(new HashSet<>(messageIdsInFeed(db, recipient.id())),
                    new HashSet<>(all.stream().map(m -> m.getMessage().getId()).toList()));
            second.assertNoError();

            // The sender's other session saw exactly what the sender sent, in its own seq order.
            senderFeed.awaitMessages(perSender, Duration.ofSeconds(30));
            List<FeedMessage> own = senderFeed.messages();
            assertExactlyOnceInOrder(own, 1, perSender);
            List<String> echoedClientIds = own.stream().map(m -> m.getMessage().getClientMessageId()).toList();
            assertEquals(sentBySender0, echoedClientIds, "sender's feed carries its sends in order with their client ids");
            own.forEach(m -> {
                assertEquals(users.getFirst().id().toString(), m.getMessage().getSenderId());
                assertEquals(recipient.id().toString(), m.getMessage().getRecipientId());
            });
            senderFeed.assertNoError();
            System.out.printf("[reconnect] %d messages; disconnected after seq %d; all delivered exactly once in %d ms%n",
                    total, lastSeen, millisSince(started));
        } finally {
            pool.shutdownNow();
            for (FeedCollector feed : new FeedCollector[] {first, second, senderFeed}) {
                if (feed != null) {
                    feed.close();
                }
            }
            shutdown(channel);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 4. Kafka outage
    // ---------------------------------------------------------------------------------------------

    @Test
    @Timeout(180)
    void sendingAndDeliverySurviveAKafkaOutage() throws Exception {
        final int duringOutage = 15;
        final int afterOutage = 5;
        ManagedChannel channel = backend.newChannel();
        FeedCollector feed = null;
        boolean kafkaStopped = false;
        try (Connection db = backend.jdbc()) {
            TestUser sender = TestUser.create(channel, "kafka_s");
            TestUser recipient = TestUser.create(channel, "kafka_r");
            feed = FeedCollector.open(backend, recipient, 0, false);
            feed.awaitHeartbeat(Duration.ofSeconds(10));
            // Warm-up: the path works with Kafka up.
            sender.send(channel, recipient, "before outage", UUID.randomUUID().toString());
            feed.awaitMessages(1, Duration.ofSeconds(10));

            long stopStarted = System.nanoTime();
            backend.stopKafka();
            kafkaStopped = true;
            System.out.printf("[kafka] broker stopped in %d ms%n", millisSince(stopStarted));

            long slowest = 0;
            long outageSends = System.nanoTime();
            for (int i = 0; i < duringOutage; i++) {
                long t = System.nanoTime();
                sender.send(channel, recipient, "during outage " + i, UUID.randomUUID().toString());
                long took = millisSince(t);
                slowest = Math.max(slowest, took);
                assertTrue(took < 10_000, "send during the outage took " + took + " ms");
            }
            System.out.printf("[kafka] %d sends with Kafka down in %d ms (slowest %d ms)%n",
                    duringOutage, millisSince(outageSends), slowest);
            long waiting = count(db, "SELECT count(*) FROM outbox WHERE record_key = ?", recipient.id().toString());
            assertTrue(waiting > 0, "with Kafka down the events should wait in the outbox");

            // The live feed catches up from PostgreSQL at its heartbeat even without Kafka.
            long catchUp = System.nanoTime();
            boolean deliveredDuringOutage = feed.tryAwaitMessages(1 + duringOutage, Duration.ofSeconds(10));
            System.out.printf("[kafka] delivered during outage: %s (%d ms), outbox rows waiting: %d%n",
                    deliveredDuringOutage, millisSince(catchUp), waiting);
            assertTrue(deliveredDuringOutage, "the live feed catches up from PostgreSQL at its heartbeat while Kafka is down; got "
                    + feed.messages().size() + " of " + (1 + duringOutage));

            long startStarted = System.nanoTime();
            backend.startKafka();
            kafkaStopped = false;
            System.out.printf("[kafka] broker restarted in %d ms%n", millisSince(startStarted));

            long drainStarted = System.nanoTime();
            awaitTrue(() -> countUnchecked(db, "SELECT count(*) FROM outbox WHERE record_key = ?", recipient.id().toString()) == 0,
                    Duration.ofSeconds(60), "outbox drains after Kafka is back");
            System.out.printf("[kafka] outbox drained %d ms after restart%n", millisSince(drainStarted));

            for (int i = 0; i < afterOutage; i++) {
                sender.send(channel, recipient, "after outage " + i, UUID.randomUUID().toString());
            }
            int total = 1 + duringOutage + afterOutage;
            feed.awaitMessages(total, Duration.ofSeconds(30));
            awaitTrue(() -> countUnchecked(db, "SELECT count(*) FROM outbox WHERE record_key = ?", recipient.id().toString()) == 0,
                    Duration.ofSeconds(30), "outbox drains for sends after the outage");
            Thread.sleep(2_000); // late repeats from the relay would show up here
            assertExactlyOnceInOrder(feed.messages(), 1, total);
            assertEquals(messageIdsInFeed(db, recipient.id()), feed.messages().stream().map(m -> m.getMessage().getId()).toList());
            feed.assertNoError();
        } finally {
            if (kafkaStopped) {
                backend.startKafka();
            }
            if (feed != null) {
                feed.close();
            }
            shutdown(channel);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 5. Idempotency under concurrency
    // ---------------------------------------------------------------------------------------------

    @Test
    @Timeout(60)
    void concurrentRetriesWithOneClientIdCreateOneMessage() throws Exception {
        final int threads = 10;
        ManagedChannel channel = backend.newChannel();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Connection db = backend.jdbc()) {
            TestUser sender = TestUser.create(channel, "idem_s");
            TestUser recipient = TestUser.create(channel, "idem_r");
            String clientId = UUID.randomUUID().toString();
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SendMessageResponse>> calls = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                calls.add(pool.submit(() -> {
                    ready.countDown();
                    go.await(10, TimeUnit.SECONDS);
                    return sender.send(channel, recipient, "only once", clientId);
                }));
            }
            assertTrue(ready.await(10, TimeUnit.SECONDS));
            long started = System.nanoTime();
            go.countDown();
            List<SendMessageResponse> responses = new ArrayList<>();
            for (Future<SendMessageResponse> call : calls) {
                responses.add(call.get(30, TimeUnit.SECONDS));
            }
            long id = responses.getFirst().getMessage().getId();
            responses.forEach(r -> assertEquals(id, r.getMessage().getId(), "every response names the same message"));
            assertEquals(1, responses.stream().filter(r -> !r.getDuplicate()).count(), "exactly one response is the original");
            assertEquals(1, count(db, "SELECT count(*) FROM messages WHERE sender_id = CAST(? AS uuid) AND client_message_id = '"
                    + clientId + "'", sender.id().toString()));
            assertEquals(1, count(db, "SELECT count(*) FROM messages WHERE sender_id = CAST(? AS uuid)", sender.id().toString()));
            // The losers' transactions rolled back their feed numbers: no gap for the next send.
            assertEquals(List.of(1L), feedSeqs(db, recipient.id()));
            assertEquals(List.of(1L), feedSeqs(db, sender.id()));
            assertEquals(1, feedHead(db, recipient.id()));
            sender.send(channel, recipient, "next", UUID.randomUUID().toString());
            assertEquals(List.of(1L, 2L), feedSeqs(db, recipient.id()));
            // Reusing the id for different content is refused rather than silently deduplicated.
            StatusRuntimeException misuse = assertThrows(StatusRuntimeException.class,
                    () -> sender.send(channel, recipient, "something else", clientId));
            assertEquals(Status.Code.ALREADY_EXISTS, misuse.getStatus().getCode());
            System.out.printf("[idempotency] %d concurrent sends of one client id -> 1 message in %d ms%n",
                    threads, millisSince(started));
        } finally {
            pool.shutdownNow();
            shutdown(channel);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 6. A slow subscriber does not stall others
    // ---------------------------------------------------------------------------------------------

    @Test
    @Timeout(180)
    void aSubscriberThatDoesNotReadDoesNotStallOthers() throws Exception {
        final int bulk = 2000;
        final int bulkThreads = 8;
        final int fastMessages = 20;
        ManagedChannel channel = backend.newChannel();
        ExecutorService pool = Executors.newFixedThreadPool(bulkThreads);
        FeedCollector slow = null;
        FeedCollector fast = null;
        FeedCollector replay = null;
        try (Connection db = backend.jdbc()) {
            int baseline = stableOpenFeeds();
            TestUser slowUser = TestUser.create(channel, "slow_r");
            TestUser fastUser = TestUser.create(channel, "fast_r");
            List<TestUser> senders = new ArrayList<>();
            for (int i = 0; i < bulkThreads; i++) {
                senders.add(TestUser.create(channel, "slow_s" + i));
            }
            slow = FeedCollector.open(backend, slowUser, 0, true);
            fast = FeedCollector.open(backend, fastUser, 0, false);
            fast.awaitHeartbeat(Duration.ofSeconds(10));
            awaitTrue(() -> openFeeds() == baseline + 2, Duration.ofSeconds(10), "both feeds registered");

            // ~4 KB per message: 2000 of them are far more than the HTTP/2 windows hold, so the
            // server's writes to the slow stream really block.
            String big = "x".repeat(4000);
            long started = System.nanoTime();
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < bulkThreads; i++) {
                int index = i;
                work.add(pool.submit(() -> {
                    for (int j = index; j < bulk; j += bulkThreads) {
                        senders.get(index).send(channel, slowUser, j + " " + big, null);
                    }
                    return null;
                }));
            }
            // While the bulk is being sent and the slow feed is backed up, the fast user's
            // messages arrive promptly, one by one.
            long slowest = 0;
            for (int i = 0; i < fastMessages; i++) {
                long t = System.nanoTime();
                senders.get(i % bulkThreads).send(channel, fastUser, "fast " + i, UUID.randomUUID().toString());
                fast.awaitMessages(i + 1, Duration.ofSeconds(5));
                slowest = Math.max(slowest, millisSince(t));
                Thread.sleep(50);
            }
            long duringBulk = slowest;
            awaitAll(work, Duration.ofSeconds(120));
            long bulkMillis = millisSince(started);
            assertEquals(bulk, feedHead(db, slowUser.id()));
            // And still after the whole bulk is in, with the slow feed stuck.
            for (int i = fastMessages; i < fastMessages + 5; i++) {
                long t = System.nanoTime();
                senders.getFirst().send(channel, fastUser, "fast " + i, UUID.randomUUID().toString());
                fast.awaitMessages(i + 1, Duration.ofSeconds(5));
                slowest = Math.max(slowest, millisSince(t));
            }
            assertExactlyOnceInOrder(fast.messages(), 1, fastMessages + 5);
            assertTrue(slowest < 5_000, "fast subscriber's slowest delivery: " + slowest + " ms");
            assertTrue(slow.messages().size() <= 1, "the slow client requested at most one message but got " + slow.messages().size());
            fast.assertNoError();
            System.out.printf("[slow] %d x 4 KB to a non-reading subscriber in %d ms; fast subscriber's slowest delivery %d ms (during bulk %d ms)%n",
                    bulk, bulkMillis, slowest, duringBulk);

            long closeStarted = System.nanoTime();
            slow.close();
            awaitTrue(() -> openFeeds() == baseline + 1, Duration.ofSeconds(15), "the slow feed is removed once its client goes");
            System.out.printf("[slow] slow feed removed %d ms after its channel closed%n", millisSince(closeStarted));
            // The fast feed still works.
            senders.getFirst().send(channel, fastUser, "after slow closed", UUID.randomUUID().toString());
            fast.awaitMessages(fastMessages + 6, Duration.ofSeconds(5));

            // The slow user, back with a reading client, gets the whole backlog replayed from
            // PostgreSQL (several replay pages) exactly once, in order.
            long replayStarted = System.nanoTime();
            replay = FeedCollector.open(backend, slowUser, 0, false);
            replay.awaitMessages(bulk, Duration.ofSeconds(60));
            assertExactlyOnceInOrder(replay.messages(), 1, bulk);
            assertEquals(messageIdsInFeed(db, slowUser.id()), replay.messages().stream().map(m -> m.getMessage().getId()).toList());
            replay.assertNoError();
            System.out.printf("[slow] backlog of %d replayed in %d ms%n", bulk, millisSince(replayStarted));
        } finally {
            pool.shutdownNow();
            if (slow != null) {
                slow.close();
            }
            if (fast != null) {
                fast.close();
            }
            if (replay != null) {
                replay.close();
            }
            shutdown(channel);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 7. Dead streams leave the registry
    // ---------------------------------------------------------------------------------------------

    @Test
    @Timeout(90)
    void cancelledAndBrokenStreamsAreRemovedFromTheRegistry() throws Exception {
        ManagedChannel channel = backend.newChannel();
        FeedCollector cancelled = null;
        FeedCollector broken = null;
        FeedCollector replaced = null;
        FeedCollector replacing = null;
        try {
            TestUser user = TestUser.create(channel, "reg_u");
            int baseline = stableOpenFeeds();

            // a) The client cancels the call but keeps its connection: the server hears it and
            //    frees the feed at once. A resubscribe of the session replaces its feed, and
            //    closing the connection removes whatever is left on it.
            cancelled = FeedCollector.open(backend, user, 0, false);
            cancelled.awaitHeartbeat(Duration.ofSeconds(10));
            assertEquals(baseline + 1, openFeeds());
            long t = System.nanoTime();
            cancelled.cancelCall();
            assertEquals(Status.Code.CANCELLED, cancelled.awaitEnd(Duration.ofSeconds(5)).getCode());
            awaitTrue(() -> openFeeds() == baseline, Duration.ofSeconds(1), "a cancelled feed leaves the registry within 1 s");
            System.out.printf("[registry] cancelled call (connection kept) removed after %d ms%n", millisSince(t));
            FeedCollector resubscribed = FeedCollector.openOn(cancelled.channel, user, 0);
            resubscribed.awaitHeartbeat(Duration.ofSeconds(10));
            assertEquals(baseline + 1, openFeeds(), "a resubscribe of the same session does not pile feeds up");
            t = System.nanoTime();
            cancelled.close(); // the shared connection goes: the resubscribed feed (and any leftover) leaves
            awaitTrue(() -> openFeeds() == baseline, Duration.ofSeconds(15), "feeds leave the registry once the connection goes");
            System.out.printf("[registry] feeds of the cancelling client removed %d ms after its connection closed%n", millisSince(t));

            // b) The connection breaks (channel shut down).
            broken = FeedCollector.open(backend, user.newSession(channel), 0, false);
            broken.awaitHeartbeat(Duration.ofSeconds(10));
            assertEquals(baseline + 1, openFeeds());
            t = System.nanoTime();
            broken.close();
            awaitTrue(() -> openFeeds() == baseline, Duration.ofSeconds(15), "a broken feed leaves the registry");
            System.out.printf("[registry] broken connection removed after %d ms%n", millisSince(t));

            // c) A new Subscribe of the same session replaces the older feed, which is ended.
            TestUser session = user.newSession(channel);
            replaced = FeedCollector.open(backend, session, 0, false);
            replaced.awaitHeartbeat(Duration.ofSeconds(10));
            replacing = FeedCollector.open(backend, session, 0, false);
            replacing.awaitHeartbeat(Duration.ofSeconds(10));
            Status ended = replaced.awaitEnd(Duration.ofSeconds(10));
            assertEquals(Status.Code.CANCELLED, ended.getCode(), "older feed of the session: " + ended);
            assertEquals(baseline + 1, openFeeds());
            replacing.close();
            awaitTrue(() -> openFeeds() == baseline, Duration.ofSeconds(15), "the replacing feed leaves the registry too");
        } finally {
            for (FeedCollector feed : new FeedCollector[] {cancelled, broken, replaced, replacing}) {
                if (feed != null) {
                    feed.close();
                }
            }
            shutdown(channel);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------

    /** A Subscribe stream on a channel of its own, recording what arrives. */
    static final class FeedCollector implements ClientResponseObserver<SubscribeRequest, FeedEvent> {
        private final ManagedChannel channel;
        private final boolean manualFlowControl;
        private final List<FeedMessage> messages = new ArrayList<>();
        private final AtomicInteger heartbeats = new AtomicInteger();
        private final AtomicLong lastHeartbeatSeq = new AtomicLong(-1);
        private final CompletableFuture<Status> end = new CompletableFuture<>();
        private volatile ClientCallStreamObserver<SubscribeRequest> call;

        private FeedCollector(ManagedChannel channel, boolean manualFlowControl) {
            this.channel = channel;
            this.manualFlowControl = manualFlowControl;
        }

        static FeedCollector open(TestBackend backend, TestUser user, long afterSeq, boolean manualFlowControl) {
            ManagedChannel channel = backend.newChannel();
            FeedCollector collector = new FeedCollector(channel, manualFlowControl);
            user.as(NotificationsServiceGrpc.newStub(channel))
                    .subscribe(SubscribeRequest.newBuilder().setAfterSeq(afterSeq).build(), collector);
            return collector;
        }

        /** A second Subscribe on an existing channel (owned by whoever opened it). */
        static FeedCollector openOn(ManagedChannel channel, TestUser user, long afterSeq) {
            FeedCollector collector = new FeedCollector(channel, false);
            user.as(NotificationsServiceGrpc.newStub(channel))
                    .subscribe(SubscribeRequest.newBuilder().setAfterSeq(afterSeq).build(), collector);
            return collector;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
            this.call = requestStream;
            if (manualFlowControl) {
                requestStream.disableAutoInboundFlowControl();
            }
        }

        @Override
        public void onNext(FeedEvent event) {
            if (event.hasMessage()) {
                synchronized (messages) {
                    messages.add(event.getMessage());
                }
            } else if (event.hasHeartbeat()) {
                lastHeartbeatSeq.set(event.getHeartbeat().getLastSeq());
                heartbeats.incrementAndGet();
            }
        }

        @Override
        public void onError(Throwable t) {
            end.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            end.complete(Status.OK);
        }

        List<FeedMessage> messages() {
            synchronized (messages) {
                return List.copyOf(messages);
            }
        }

        int size() {
            synchronized (messages) {
                return messages.size();
            }
        }

        void awaitHeartbeat(Duration timeout) throws InterruptedException {
            awaitTrue(() -> heartbeats.get() > 0 || end.isDone(), timeout, "a heartbeat on the feed");
            assertNoError();
        }

        boolean tryAwaitMessages(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (size() >= count || end.isDone()) {
                    return size() >= count;
                }
                Thread.sleep(10);
            }
            return size() >= count;
        }

        void awaitMessages(int count, Duration timeout) throws InterruptedException {
            if (!tryAwaitMessages(count, timeout)) {
                fail("expected " + count + " feed messages within " + timeout + " but got " + size()
                        + (end.isDone() ? "; the stream ended with " + end.join() : ""));
            }
        }

        void assertNoError() {
            if (end.isDone()) {
                fail("the feed ended unexpectedly: " + end.join());
            }
        }

        Status awaitEnd(Duration timeout) throws Exception {
            return end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void cancelCall() {
            call.cancel("test cancels the feed", null);
        }

        /** Drops the connection (as a vanished client would) and waits until the call has ended. */
        void closeAndAwaitEnd() throws Exception {
            channel.shutdownNow();
            awaitEnd(Duration.ofSeconds(10));
            assertTrue(channel.awaitTermination(10, TimeUnit.SECONDS));
        }

        void close() throws InterruptedException {
            channel.shutdownNow();
            channel.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Seqs strictly 1 apart starting at {@code first}, {@code count} of them: in order, no repeats, no gaps. */
    private static void assertExactlyOnceInOrder(List<FeedMessage> received, long first, int count) {
        List<Long> seqs = received.stream().map(FeedMessage::getSeq).toList();
        assertEquals(LongStream.range(first, first + count).boxed().toList(), seqs, "feed seqs received");
        Set<Long> ids = new HashSet<>();
        received.forEach(m -> assertTrue(ids.add(m.getMessage().getId()), "message " + m.getMessage().getId() + " delivered twice"));
    }

    private static NotificationsModule notifications() {
        return backend.server().services().stream()
                .filter(NotificationsModule.class::isInstance)
                .map(NotificationsModule.class::cast)
                .findFirst()
                .orElseThrow();
    }

    private static int openFeeds() {
        return notifications().openFeeds();
    }

    /** The open-feed count once feeds other tests left behind have settled (bounded). */
    private static int stableOpenFeeds() throws InterruptedException {
        int value = openFeeds();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1_500);
            int now = openFeeds();
            if (now == value) {
                return value;
            }
            value = now;
        }
        return value;
    }

    private static List<Long> feedSeqs(Connection db, UUID user) throws SQLException {
        return FeedRows.entries(db, user).stream().map(e -> e[0]).toList();
    }

    private static List<Long> messageIdsInFeed(Connection db, UUID user) throws SQLException {
        return FeedRows.entries(db, user).stream().map(e -> e[1]).toList();
    }

    private static long feedHead(Connection db, UUID user) throws SQLException {
        return count(db, "SELECT coalesce(max(last_seq), 0) FROM feed_heads WHERE user_id = CAST(? AS uuid)", user.toString());
    }

    private static long count(Connection db, String sql, Object parameter) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            query.setObject(1, parameter);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                return row.getLong(1);
            }
        }
    }

    private static long countUnchecked(Connection db, String sql, Object parameter) {
        try {
            return count(db, sql, parameter);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void awaitAll(List<Future<?>> work, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Future<?> future : work) {
            future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private static boolean allDone(List<Future<?>> work) {
        return work.stream().allMatch(Future::isDone);
    }

    private static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }

    private static void shutdown(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(10, TimeUnit.SECONDS);
    }
}
