package dev.messenger.server.messagepath;

import dev.messenger.api.v1.AddMembersRequest;
import dev.messenger.api.v1.Conversation;
import dev.messenger.api.v1.ConversationKind;
import dev.messenger.api.v1.CreateGroupRequest;
import dev.messenger.api.v1.FeedEvent;
import dev.messenger.api.v1.FeedMessage;
import dev.messenger.api.v1.GetConversationRequest;
import dev.messenger.api.v1.GetHistoryRequest;
import dev.messenger.api.v1.LeaveConversationRequest;
import dev.messenger.api.v1.ListConversationsRequest;
import dev.messenger.api.v1.ListMembersRequest;
import dev.messenger.api.v1.MarkReadRequest;
import dev.messenger.api.v1.Member;
import dev.messenger.api.v1.MemberRole;
import dev.messenger.api.v1.MembershipChange;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.NotificationsServiceGrpc;
import dev.messenger.api.v1.RemoveMemberRequest;
import dev.messenger.api.v1.RenameGroupRequest;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.api.v1.SubscribeRequest;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.FeedRecorder;
import dev.messenger.server.testing.FeedRows;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The message path's guarantees for groups: one message, one feed entry per member, each member's
 * feed gap-free and delivered exactly once in their own order, through reconnects and a Kafka
 * outage; and who may see a group at all.
 */
@ExtendWith(BackendExtension.class)
class GroupMessagePathTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static ManagedChannel channel;
    /**
     * Feeds on a connection of their own, as the clients keep them: a stream cancelled while
     * others are open can make Helidon drop the whole connection (defect 15, ARCHITECTURE.md).
     */
    private static ManagedChannel feedChannel;

    @BeforeAll
    static void connect(TestBackend backend) {
        channel = backend.newChannel();
        feedChannel = backend.newChannel();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        feedChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static MessagesServiceGrpc.MessagesServiceBlockingStub messages(TestUser user) {
        return user.as(MessagesServiceGrpc.newBlockingStub(channel)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static Conversation createGroup(TestUser creator, String title, TestUser... members) {
        return messages(creator).createGroup(CreateGroupRequest.newBuilder().setTitle(title)
                .addAllMemberIds(Stream.of(members).map(member -> member.id().toString()).toList()).build()).getConversation();
    }

    private static Message send(TestUser from, Conversation group, String text, String clientId) {
        return messages(from).sendMessage(SendMessageRequest.newBuilder().setConversationId(group.getId()).setText(text)
                .setClientMessageId(clientId).build()).getMessage();
    }

    /** The feed entries (messages and changes) of a stream, until {@code count} have come. */
    private static List<FeedMessage> entries(FeedRecorder feed, int count) throws InterruptedException {
        List<FeedMessage> entries = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (entries.size() < count) {
            assertTrue(System.nanoTime() < deadline, "only " + entries.size() + " of " + count + " entries arrived");
            FeedEvent event = feed.events.poll(100, TimeUnit.MILLISECONDS);
            if (event != null && event.hasMessage()) {
                entries.add(event.getMessage());
            } else if (event != null && event.hasMembershipChange()) {
                entries.add(event.getMembershipChange());
            }
        }
        return entries;
    }

    private static FeedRecorder subscribeAfter(TestUser user, long afterSeq) {
        FeedRecorder recorder = new FeedRecorder();
        user.as(NotificationsServiceGrpc.newStub(feedChannel)).subscribe(SubscribeRequest.newBuilder().setAfterSeq(afterSeq).build(), recorder);
        return recorder;
    }

    @Test
    void aNewGroupReachesEveryMemberWithItsFirstEntry() throws Exception {
        TestUser ann = TestUser.create(channel, "grp");
        TestUser bob = TestUser.create(channel, "grp");
        TestUser cat = TestUser.create(channel, "grp");
        FeedRecorder bobsFeed = FeedRecorder.subscribe(bob, feedChannel);

        Conversation group = createGroup(ann, "  Release team ", bob, cat, bob, ann);

        assertEquals(ConversationKind.CONVERSATION_KIND_GROUP, group.getKind());
        assertEquals("Release team", group.getTitle(), "surrounding spaces dropped");
        assertEquals(3, group.getMemberCount(), "repeats and the creator counted once");
        Message created = group.getLastMessage();
        assertEquals(MembershipChange.newBuilder().setKind(MembershipChange.Kind.CREATED).setTitle("Release team")
                .addUserIds(bob.id().toString()).addUserIds(cat.id().toString()).build(), created.getMembershipChange());
        assertEquals(ann.id().toString(), created.getSenderId());
        assertEquals("", created.getRecipientId());
        assertEquals(group.getId(), created.getConversationId());

        FeedMessage first = entries(bobsFeed, 1).getFirst();
        assertEquals(created, first.getMessage());
        assertEquals(1, first.getSeq());
        bobsFeed.cancel();

        Conversation listed = messages(cat).listConversations(ListConversationsRequest.getDefaultInstance()).getConversations(0);
        assertEquals(group.getId(), listed.getId());
        assertEquals("Release team", listed.getTitle());
        assertFalse(listed.hasPeer());
        assertEquals(0, listed.getUnreadCount(), "a change is no unread message");
        assertEquals(group.getId(), messages(bob).getConversation(
                GetConversationRequest.newBuilder().setConversationId(group.getId()).build()).getConversation().getId());
        List<Member> members = messages(bob).listMembers(ListMembersRequest.newBuilder().setConversationId(group.getId()).build())
                .getMembersList();
        assertEquals(Map.of(ann.id().toString(), MemberRole.MEMBER_ROLE_ADMIN, bob.id().toString(), MemberRole.MEMBER_ROLE_MEMBER,
                        cat.id().toString(), MemberRole.MEMBER_ROLE_MEMBER),
                members.stream().collect(Collectors.toMap(member -> member.getUser().getId(), Member::getRole)));
        var paged = messages(bob).listMembers(ListMembersRequest.newBuilder().setConversationId(group.getId()).setLimit(2).build());
        assertEquals(2, paged.getMembersCount());
        assertEquals(1, messages(bob).listMembers(ListMembersRequest.newBuilder().setConversationId(group.getId())
                .setPageToken(paged.getNextPageToken()).build()).getMembersCount());
        assertEquals(List.of(created), messages(cat).getHistory(GetHistoryRequest.newBuilder().setConversationId(group.getId())
                .build()).getMessagesList());
    }

    @Test
    void concurrentSendersReachEveryMemberOnceInTheirOwnOrderAcrossAReconnect(TestBackend backend) throws Exception {
        List<TestUser> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            users.add(TestUser.create(channel, "race"));
        }
        Conversation group = createGroup(users.getFirst(), "Race", users.subList(1, 5).toArray(TestUser[]::new));
        Map<TestUser, FeedRecorder> feeds = new ConcurrentHashMap<>();
        users.forEach(user -> feeds.put(user, FeedRecorder.subscribe(user, feedChannel)));

        List<TestUser> senders = users.subList(0, 3);
        int perSender = 40;
        List<Long> sent = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(senders.size())) {
            List<Future<List<Long>>> done = new ArrayList<>();
            for (TestUser sender : senders) {
                done.add(pool.submit(() -> {
                    List<Long> ids = new ArrayList<>();
                    for (int i = 0; i < perSender; i++) {
                        ids.add(send(sender, group, sender.username() + " #" + i, UUID.randomUUID().toString()).getId());
                    }
                    return ids;
                }));
            }
            // The last member's stream breaks mid-way; they come back from the last entry they saw.
            TestUser reconnecting = users.getLast();
            List<FeedMessage> beforeBreak = entries(feeds.get(reconnecting), 30);
            feeds.get(reconnecting).cancel();
            FeedRecorder again = subscribeAfter(reconnecting, beforeBreak.getLast().getSeq());
            for (Future<List<Long>> ids : done) {
                sent.addAll(ids.get(60, TimeUnit.SECONDS));
            }
            int total = senders.size() * perSender + 1;
            List<FeedMessage> afterBreak = entries(again, total - beforeBreak.size());
            List<FeedMessage> whole = new ArrayList<>(beforeBreak);
            whole.addAll(afterBreak);
            assertExactlyOnceInOrder(whole, sent, group);
            for (TestUser user : users.subList(0, 4)) {
                assertExactlyOnceInOrder(entries(feeds.get(user), total), sent, group);
            }
            Thread.sleep(500);
            for (TestUser user : users.subList(0, 4)) {
                assertTrue(feeds.get(user).events.stream().noneMatch(event -> event.hasMessage() || event.hasMembershipChange()),
                        "nothing more, nothing twice");
            }
            feeds.values().forEach(FeedRecorder::cancel);
            again.cancel();
        }
        try (Connection db = backend.jdbc()) {
            for (TestUser user : users) {
                assertEquals(LongStream.rangeClosed(1, senders.size() * perSender + 1).boxed().toList(),
                        FeedRows.entries(db, user.id()).stream().map(entry -> entry[0]).toList(), "gap-free feed of " + user.username());
            }
            try (PreparedStatement query = db.prepareStatement(
                    "SELECT count(*) FROM feed_entries WHERE message_id = ANY(?) GROUP BY message_id")) {
                query.setArray(1, db.createArrayOf("bigint", sent.toArray()));
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        assertEquals(5, rows.getLong(1), "one entry per member for each message");
                    }
                }
            }
        }
        Conversation seenByLast = messages(users.getLast()).listConversations(ListConversationsRequest.getDefaultInstance())
                .getConversations(0);
        assertEquals(senders.size() * perSender, seenByLast.getUnreadCount(), "everything the others sent is unread");
        assertEquals(0, messages(users.getLast()).markRead(MarkReadRequest.newBuilder().setConversationId(group.getId()).build())
                .getUnreadCount());
        Conversation seenBySender = messages(users.getFirst()).listConversations(ListConversationsRequest.getDefaultInstance())
                .getConversations(0);
        assertTrue(seenBySender.getUnreadCount() < senders.size() * perSender, "a sender has read up to their own message");
    }

    private static void assertExactlyOnceInOrder(List<FeedMessage> entries, List<Long> sent, Conversation group) {
        assertEquals(LongStream.rangeClosed(1, entries.size()).boxed().toList(), entries.stream().map(FeedMessage::getSeq).toList(),
                "each member's own gap-free numbers, in order");
        assertEquals(group.getLastMessage(), entries.getFirst().getMessage(), "the group's first entry first");
        List<Long> ids = entries.stream().skip(1).map(entry -> entry.getMessage().getId()).toList();
        assertEquals(Set.copyOf(sent), Set.copyOf(ids), "every message");
        assertEquals(sent.size(), ids.size(), "none twice");
        assertEquals(ids.stream().sorted().toList(), ids, "in the order they were stored");
    }

    @Test
    void groupMessagesAreStoredWhileKafkaIsDownAndDeliveredOnceItIsBack(TestBackend backend) throws Exception {
        TestUser ann = TestUser.create(channel, "gkafka");
        TestUser bob = TestUser.create(channel, "gkafka");
        TestUser cat = TestUser.create(channel, "gkafka");
        Conversation group = createGroup(ann, "Outage", bob, cat);
        FeedRecorder catsFeed = FeedRecorder.subscribe(cat, feedChannel);
        entries(catsFeed, 1);
        long published = System.nanoTime() + WAIT.toNanos();
        while (outboxEvents(backend, group) > 0) {
            assertTrue(System.nanoTime() < published, "the group's first event is published");
            Thread.sleep(50);
        }
        List<Long> sent = new ArrayList<>();
        backend.stopKafka();
        try {
            for (int i = 0; i < 10; i++) {
                sent.add(send(i % 2 == 0 ? ann : bob, group, "while Kafka is down " + i, "").getId());
            }
            assertEquals(10, outboxEvents(backend, group), "one event per message, not one per member, keyed by the group");
            // The feed finds them in PostgreSQL at its next heartbeat.
            List<FeedMessage> caughtUp = entries(catsFeed, 10);
            assertEquals(sent, caughtUp.stream().map(entry -> entry.getMessage().getId()).toList());
        } finally {
            backend.startKafka();
        }
        sent.add(send(cat, group, "Kafka is back", "").getId());
        FeedMessage last = entries(catsFeed, 1).getFirst();
        assertEquals(sent.getLast(), last.getMessage().getId());
        assertEquals(12, last.getSeq());
        Thread.sleep(2_000);
        assertTrue(catsFeed.events.stream().noneMatch(FeedEvent::hasMessage), "the events published late repeat nothing");
        catsFeed.cancel();
    }

    private static long outboxEvents(TestBackend backend, Conversation group) throws Exception {
        try (Connection db = backend.jdbc(); PreparedStatement query = db.prepareStatement(
                "SELECT count(*) FROM outbox WHERE record_key = ?")) {
            query.setString(1, group.getId());
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static List<Message> history(TestUser reader, Conversation group) {
        return messages(reader).getHistory(GetHistoryRequest.newBuilder().setConversationId(group.getId()).setLimit(100).build())
                .getMessagesList();
    }

    @Test
    void aMemberAddedDuringABurstSeesExactlyTheMessagesFromTheirJoinOnward() throws Exception {
        TestUser ann = TestUser.create(channel, "join");
        TestUser bob = TestUser.create(channel, "join");
        TestUser cat = TestUser.create(channel, "join");
        Conversation group = createGroup(ann, "Burst", bob);
        FeedRecorder catsFeed = FeedRecorder.subscribe(cat, feedChannel);
        List<Long> sent = new ArrayList<>();
        AtomicInteger afterJoin = new AtomicInteger(-1);
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            // Goes on until 20 messages were sent after the join returned, however the two interleave.
            Future<?> burst = pool.submit(() -> {
                for (int i = 0; afterJoin.get() < 20 && i < 1000; i++) {
                    synchronized (sent) {
                        sent.add(send(ann, group, "burst " + i, "").getId());
                    }
                    if (afterJoin.get() >= 0) {
                        afterJoin.incrementAndGet();
                    }
                }
            });
            while (true) {
                synchronized (sent) {
                    if (sent.size() >= 20) {
                        break;
                    }
                }
                Thread.sleep(5);
            }
            Conversation after = messages(bob).addMembers(AddMembersRequest.newBuilder().setConversationId(group.getId())
                    .addUserIds(cat.id().toString()).addUserIds(bob.id().toString()).build()).getConversation();
            assertEquals(3, after.getMemberCount(), "a member already in is skipped");
            afterJoin.set(0);
            burst.get(60, TimeUnit.SECONDS);
        }
        Message added = history(ann, group).stream().filter(Message::hasMembershipChange)
                .filter(entry -> entry.getMembershipChange().getKind() == MembershipChange.Kind.ADDED).findFirst().orElseThrow();
        assertEquals(List.of(cat.id().toString()), added.getMembershipChange().getUserIdsList());
        assertEquals(bob.id().toString(), added.getSenderId());
        List<Long> expected = new ArrayList<>(List.of(added.getId()));
        sent.stream().filter(id -> id > added.getId()).forEach(expected::add);
        int afterTheJoin = expected.size() - 1;
        assertTrue(afterTheJoin >= 20 && sent.size() - afterTheJoin >= 20, "the burst began before the join and went on after it: "
                + (sent.size() - afterTheJoin) + " before, " + afterTheJoin + " after");
        assertEquals(expected.reversed(), history(cat, group).stream().map(Message::getId).toList(),
                "the history starts at the join, nothing before it");
        List<FeedMessage> feed = entries(catsFeed, expected.size());
        assertEquals(expected, feed.stream().map(entry -> entry.getMessage().getId()).toList(), "and so does the feed");
        assertEquals(LongStream.rangeClosed(1, expected.size()).boxed().toList(), feed.stream().map(FeedMessage::getSeq).toList());
        catsFeed.cancel();
    }

    @Test
    void aRemovedMemberReceivesNothingMoreAndKeepsTheirHistoryUpToTheRemoval() throws Exception {
        TestUser ann = TestUser.create(channel, "remove");
        TestUser bob = TestUser.create(channel, "remove");
        TestUser cat = TestUser.create(channel, "remove");
        Conversation group = createGroup(ann, "Team", bob, cat);
        send(bob, group, "before", "");
        FeedRecorder catsFeed = FeedRecorder.subscribe(cat, feedChannel);
        entries(catsFeed, 2);

        assertStatus(Status.Code.PERMISSION_DENIED, () -> messages(bob).removeMember(RemoveMemberRequest.newBuilder()
                .setConversationId(group.getId()).setUserId(cat.id().toString()).build()), "only admins remove");
        assertStatus(Status.Code.PERMISSION_DENIED, () -> messages(ann).removeMember(RemoveMemberRequest.newBuilder()
                .setConversationId(group.getId()).setUserId(ann.id().toString()).build()), "the last admin stays");
        Conversation without = messages(ann).removeMember(RemoveMemberRequest.newBuilder().setConversationId(group.getId())
                .setUserId(cat.id().toString()).build()).getConversation();
        assertEquals(2, without.getMemberCount());
        Message removal = entries(catsFeed, 1).getFirst().getMessage();
        assertEquals(MembershipChange.Kind.REMOVED, removal.getMembershipChange().getKind());
        send(bob, group, "after", "");
        Message renamed = messages(ann).renameGroup(RenameGroupRequest.newBuilder().setConversationId(group.getId())
                .setTitle("Core team").build()).getConversation().getLastMessage();
        assertEquals(MembershipChange.Kind.RENAMED, renamed.getMembershipChange().getKind());
        Thread.sleep(1_500);
        assertTrue(catsFeed.events.stream().noneMatch(event -> event.hasMessage() || event.hasMembershipChange()),
                "nothing after the removal reaches the removed member");
        catsFeed.cancel();

        List<Message> catsHistory = history(cat, group);
        assertEquals(removal, catsHistory.getFirst(), "their history ends with their removal");
        assertEquals(List.of("", "before", ""), catsHistory.stream().map(Message::getText).toList());
        assertEquals("Team", messages(cat).getConversation(GetConversationRequest.newBuilder().setConversationId(group.getId())
                .build()).getConversation().getTitle(), "they keep the group as it was");
        assertStatus(Status.Code.NOT_FOUND, () -> send(cat, group, "let me back in", ""), "a removed member cannot send");
        assertStatus(Status.Code.NOT_FOUND, () -> messages(cat).listMembers(ListMembersRequest.newBuilder()
                .setConversationId(group.getId()).build()), "nor see who is in it now");
        assertStatus(Status.Code.PERMISSION_DENIED, () -> messages(bob).renameGroup(RenameGroupRequest.newBuilder()
                .setConversationId(group.getId()).setTitle("Mine").build()), "only admins rename");

        messages(ann).leaveConversation(LeaveConversationRequest.newBuilder().setConversationId(group.getId()).build());
        List<Member> left = messages(bob).listMembers(ListMembersRequest.newBuilder().setConversationId(group.getId()).build())
                .getMembersList();
        assertEquals(List.of(bob.id().toString()), left.stream().map(member -> member.getUser().getId()).toList());
        assertEquals(MemberRole.MEMBER_ROLE_ADMIN, left.getFirst().getRole(), "the last admin to leave hands the group on");
        assertEquals(MembershipChange.Kind.LEFT, history(bob, group).getFirst().getMembershipChange().getKind());
    }

    @Test
    void membershipChangesRefuseWhatCannotBeAndChangeNothing() {
        TestUser ann = TestUser.create(channel, "badchg");
        TestUser bob = TestUser.create(channel, "badchg");
        Conversation group = createGroup(ann, "Small", bob);
        String direct = messages(ann).sendMessage(SendMessageRequest.newBuilder().setRecipientId(bob.id().toString())
                .setText("hi").build()).getMessage().getConversationId();
        assertStatus(Status.Code.NOT_FOUND, () -> messages(ann).addMembers(AddMembersRequest.newBuilder()
                .setConversationId(group.getId()).addUserIds(UUID.randomUUID().toString()).build()), "unknown user");
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(ann).addMembers(AddMembersRequest.newBuilder()
                .setConversationId(group.getId()).build()), "nobody to add");
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(ann).addMembers(AddMembersRequest.newBuilder()
                .setConversationId(group.getId()).addUserIds("not-an-id").build()), "malformed id");
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(ann).addMembers(AddMembersRequest.newBuilder()
                .setConversationId(direct).addUserIds(UUID.randomUUID().toString()).build()), "a direct conversation has no members to change");
        assertStatus(Status.Code.NOT_FOUND, () -> messages(ann).removeMember(RemoveMemberRequest.newBuilder()
                .setConversationId(group.getId()).setUserId(UUID.randomUUID().toString()).build()), "no such member");
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(ann).renameGroup(RenameGroupRequest.newBuilder()
                .setConversationId(group.getId()).setTitle(" ").build()), "blank title");
        assertStatus(Status.Code.NOT_FOUND, () -> messages(ann).leaveConversation(LeaveConversationRequest.newBuilder()
                .setConversationId(UUID.randomUUID().toString()).build()), "no such group");
        assertEquals(List.of(group.getLastMessage()), history(bob, group), "nothing recorded");
        assertEquals(2, messages(bob).getConversation(GetConversationRequest.newBuilder().setConversationId(group.getId()).build())
                .getConversation().getMemberCount());
    }

    private static void assertStatus(Status.Code expected, Runnable call, String what) {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, call::run, what);
        assertEquals(expected, refused.getStatus().getCode(), what + ": " + refused.getStatus().getDescription());
    }

    @Test
    void someoneOutsideTheGroupCanNeitherReadNorWriteNorTellItExists() {
        TestUser ann = TestUser.create(channel, "outside");
        TestUser bob = TestUser.create(channel, "outside");
        TestUser eve = TestUser.create(channel, "outside");
        Conversation group = createGroup(ann, "Private", bob);
        send(bob, group, "between us", "");
        for (String id : List.of(group.getId(), UUID.randomUUID().toString())) {
            String expected = "No conversation with id " + id;
            List<Runnable> calls = List.of(
                    () -> messages(eve).getHistory(GetHistoryRequest.newBuilder().setConversationId(id).build()),
                    () -> messages(eve).sendMessage(SendMessageRequest.newBuilder().setConversationId(id).setText("hi").build()),
                    () -> messages(eve).markRead(MarkReadRequest.newBuilder().setConversationId(id).build()),
                    () -> messages(eve).getConversation(GetConversationRequest.newBuilder().setConversationId(id).build()),
                    () -> messages(eve).listMembers(ListMembersRequest.newBuilder().setConversationId(id).build()));
            for (Runnable call : calls) {
                StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, call::run);
                assertEquals(Status.Code.NOT_FOUND, refused.getStatus().getCode());
                assertEquals(expected, refused.getStatus().getDescription());
            }
        }
        assertEquals(2, messages(ann).getHistory(GetHistoryRequest.newBuilder().setConversationId(group.getId()).build())
                .getMessagesCount(), "eve's attempt stored nothing");
    }

    @Test
    void createGroupRefusesWhatIsNoGroupAndCreatesNothing() {
        TestUser ann = TestUser.create(channel, "badgrp");
        TestUser bob = TestUser.create(channel, "badgrp");
        String bobId = bob.id().toString();
        Map<String, CreateGroupRequest> invalid = Map.of(
                "no title", CreateGroupRequest.newBuilder().addMemberIds(bobId).build(),
                "blank title", CreateGroupRequest.newBuilder().setTitle(" \u00a0 ").addMemberIds(bobId).build(),
                "long title", CreateGroupRequest.newBuilder().setTitle("x".repeat(65)).addMemberIds(bobId).build(),
                "NUL in title", CreateGroupRequest.newBuilder().setTitle("a\u0000b").addMemberIds(bobId).build(),
                "malformed member id", CreateGroupRequest.newBuilder().setTitle("t").addMemberIds("bob").build(),
                "too many members", CreateGroupRequest.newBuilder().setTitle("t")
                        .addAllMemberIds(Stream.generate(() -> UUID.randomUUID().toString()).limit(1000).toList()).build());
        invalid.forEach((what, request) -> {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> messages(ann).createGroup(request), what);
            assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode(), what);
        });
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> messages(ann).createGroup(
                CreateGroupRequest.newBuilder().setTitle("t").addMemberIds(bobId).addMemberIds(UUID.randomUUID().toString()).build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
        assertEquals(0, messages(ann).listConversations(ListConversationsRequest.getDefaultInstance()).getConversationsCount());
        assertEquals(0, messages(bob).listConversations(ListConversationsRequest.getDefaultInstance()).getConversationsCount());
    }
}
