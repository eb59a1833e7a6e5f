package dev.messenger.server.grpc;

import dev.messenger.api.v1.AddMembersRequest;
import dev.messenger.api.v1.Conversation;
import dev.messenger.api.v1.ConversationKind;
import dev.messenger.api.v1.CreateGroupRequest;
import dev.messenger.api.v1.FeedEvent;
import dev.messenger.api.v1.GetConversationRequest;
import dev.messenger.api.v1.GetHistoryRequest;
import dev.messenger.api.v1.GetHistoryResponse;
import dev.messenger.api.v1.GetUserRequest;
import dev.messenger.api.v1.LeaveConversationRequest;
import dev.messenger.api.v1.ListConversationsRequest;
import dev.messenger.api.v1.ListConversationsResponse;
import dev.messenger.api.v1.ListMembersRequest;
import dev.messenger.api.v1.LoginRequest;
import dev.messenger.api.v1.LoginResponse;
import dev.messenger.api.v1.LogoutRequest;
import dev.messenger.api.v1.MarkReadRequest;
import dev.messenger.api.v1.MarkReadResponse;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.NotificationsServiceGrpc;
import dev.messenger.api.v1.RegisterRequest;
import dev.messenger.api.v1.RemoveMemberRequest;
import dev.messenger.api.v1.RenameGroupRequest;
import dev.messenger.api.v1.SearchUsersRequest;
import dev.messenger.api.v1.SearchUsersResponse;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.api.v1.SendMessageResponse;
import dev.messenger.api.v1.SubscribeRequest;
import dev.messenger.api.v1.User;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.client.BearerToken;
import dev.messenger.messages.DirectConversation;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every method of the public gRPC API through grpc-java's client, against the real server: the
 * happy paths, and each error with its exact status code.
 */
@ExtendWith(BackendExtension.class)
class GrpcApiTest {
    private static final long DEADLINE_SECONDS = 15;

    private static TestBackend backend;
    private static ManagedChannel channel;

    @BeforeAll
    static void connect(TestBackend testBackend) {
        backend = testBackend;
        channel = backend.newChannel();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- Register

    @Test
    void registerReturnsTheNewUserWithoutCredentials() {
        String username = uniqueName("Reg");
        User user = anonymousUsers().register(RegisterRequest.newBuilder()
                .setUsername(username).setDisplayName("  Ada Lovelace  ").setPassword("password-123").build()).getUser();
        assertEquals(36, user.getId().length(), "a UUID id");
        UUID.fromString(user.getId());
        assertEquals(username, user.getUsername(), "the username is kept as typed");
        assertEquals("Ada Lovelace", user.getDisplayName(), "the display name is trimmed");
        assertTrue(user.getCreatedAt().getSeconds() > 0, "created_at set");

        // The display name defaults to the username.
        String other = uniqueName("Reg");
        User defaulted = anonymousUsers().register(RegisterRequest.newBuilder()
                .setUsername(other).setPassword("password-123").build()).getUser();
        assertEquals(other, defaulted.getDisplayName());

        // The new account can sign in.
        LoginResponse login = anonymousUsers().login(LoginRequest.newBuilder()
                .setUsername(username).setPassword("password-123").build());
        assertFalse(login.getToken().isEmpty());
        assertEquals(user.getId(), login.getUser().getId());
    }

    @Test
    void registerRefusesATakenUsernameRegardlessOfCase() {
        String username = uniqueName("Dup");
        anonymousUsers().register(register(username, "password-123"));
        assertStatus(Status.Code.ALREADY_EXISTS, () -> anonymousUsers().register(register(username, "password-456")));
        assertStatus(Status.Code.ALREADY_EXISTS, () -> anonymousUsers().register(register(username.toUpperCase(), "password-456")));
        assertStatus(Status.Code.ALREADY_EXISTS, () -> anonymousUsers().register(register(username.toLowerCase(), "password-456")));
    }

    @Test
    void registerRejectsBadUsernames() {
        for (String bad : List.of("", "ab", "x".repeat(33), "has space", "bad!name", "ünïcode", "semi;colon", "a/b")) {
            StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT,
                    () -> anonymousUsers().register(register(bad, "password-123")));
            assertTrue(e.getStatus().getDescription().contains("username"), bad + ": " + e.getStatus());
        }
        // The edges of the allowed length and alphabet are accepted.
        String base = uniqueName("e");
        String shortest = randomTag(3);
        assertEquals(shortest, anonymousUsers().register(register(shortest, "password-123")).getUser().getUsername());
        String longest = (base + "_.-" + "z".repeat(40)).substring(0, 32);
        assertEquals(longest, anonymousUsers().register(register(longest, "password-123")).getUser().getUsername());
    }

    @Test
    void registerRejectsBadPasswords() {
        for (String bad : List.of("", "short77", "x".repeat(257), "nul\0char-password")) {
            StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT,
                    () -> anonymousUsers().register(register(uniqueName("pw"), bad)));
            assertTrue(e.getStatus().getDescription().contains("password"), e.getStatus().toString());
        }
        // 8 and 256 characters are the bounds, both allowed.
        anonymousUsers().register(register(uniqueName("pw"), "x".repeat(8)));
        anonymousUsers().register(register(uniqueName("pw"), "x".repeat(256)));
    }

    @Test
    void registerRejectsBadDisplayNames() {
        for (String bad : List.of("x".repeat(65), "bell\u0007", "nul\0", "line\nbreak")) {
            StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT,
                    () -> anonymousUsers().register(RegisterRequest.newBuilder()
                            .setUsername(uniqueName("dn")).setDisplayName(bad).setPassword("password-123").build()));
            assertTrue(e.getStatus().getDescription().contains("display name"), e.getStatus().toString());
        }
        // 64 code points, emoji included, is allowed.
        String longest = "\uD83D\uDE00".repeat(32) + "d".repeat(32);
        User user = anonymousUsers().register(RegisterRequest.newBuilder()
                .setUsername(uniqueName("dn")).setDisplayName(longest).setPassword("password-123").build()).getUser();
        assertEquals(longest, user.getDisplayName());
    }

    // ---------------------------------------------------------------- Login

    @Test
    void loginRejectsAWrongPasswordAndAnUnknownUser() {
        TestUser user = TestUser.create(channel, "login");
        assertStatus(Status.Code.UNAUTHENTICATED, () -> anonymousUsers().login(login(user.username(), "wrong password")));
        assertStatus(Status.Code.UNAUTHENTICATED, () -> anonymousUsers().login(login(uniqueName("nobody"), "whatever-password")));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> anonymousUsers().login(login("", "whatever-password")));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> anonymousUsers().login(login(user.username(), "")));
        // The username is matched regardless of case; each login opens a new session.
        LoginResponse first = anonymousUsers().login(login(user.username().toUpperCase(), user.password()));
        LoginResponse second = anonymousUsers().login(login(user.username(), user.password()));
        assertEquals(user.id().toString(), first.getUser().getId());
        assertNotEquals(first.getToken(), second.getToken());
        assertTrue(first.getExpiresAt().getSeconds() > System.currentTimeMillis() / 1000, "expires in the future");
    }

    @Test
    void loginFromOneAddressWaitsAfterFiveWrongPasswordsForOneUsername() {
        TestUser victim = TestUser.create(channel, "throttle");
        TestUser bystander = TestUser.create(channel, "throttle");
        for (int i = 1; i <= 6; i++) {
            int attempt = i;
            StatusRuntimeException e = assertStatus(Status.Code.UNAUTHENTICATED,
                    () -> anonymousUsers().login(login(victim.username(), "wrong password " + attempt)));
            assertFalse(e.getStatus().getDescription().contains("Too many"), "attempt " + attempt);
        }
        // Five are free; the sixth made this address wait (users.login.first-delay, a minute in the
        // test backend) before trying this username again, even with the right password, in any case.
        StatusRuntimeException refused = assertStatus(Status.Code.RESOURCE_EXHAUSTED,
                () -> anonymousUsers().login(login(victim.username(), victim.password())));
        long retryAfter = Long.parseLong(refused.getTrailers().get(Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER)));
        assertTrue(retryAfter > 0 && retryAfter <= 60, "retry-after " + retryAfter);
        assertStatus(Status.Code.RESOURCE_EXHAUSTED,
                () -> anonymousUsers().login(login(victim.username().toUpperCase(), victim.password())));
        // Other usernames are unaffected, and sessions opened before keep working.
        assertEquals(bystander.id().toString(), anonymousUsers().login(login(bystander.username(), bystander.password()))
                .getUser().getId());
        assertEquals(victim.username(), users(victim).getUser(GetUserRequest.getDefaultInstance()).getUser().getUsername());
    }

    // ---------------------------------------------------------------- Logout

    @Test
    void logoutRevokesThatTokenAtOnceAndOnlyThatToken() {
        TestUser user = TestUser.create(channel, "logout");
        TestUser otherSession = user.newSession(channel);
        assertEquals(user.username(), users(user).getUser(GetUserRequest.getDefaultInstance()).getUser().getUsername());

        users(user).logout(LogoutRequest.getDefaultInstance());

        assertStatus(Status.Code.UNAUTHENTICATED, () -> users(user).getUser(GetUserRequest.getDefaultInstance()));
        assertStatus(Status.Code.UNAUTHENTICATED, () -> messages(user).listConversations(ListConversationsRequest.getDefaultInstance()));
        assertStatus(Status.Code.UNAUTHENTICATED, () -> users(user).logout(LogoutRequest.getDefaultInstance()));
        assertEquals(user.username(), users(otherSession).getUser(GetUserRequest.getDefaultInstance()).getUser().getUsername(),
                "the user's other session is still signed in");
    }

    // ---------------------------------------------------------------- GetUser

    @Test
    void getUserReturnsTheCallerOrTheNamedUser() {
        TestUser alice = TestUser.create(channel, "getu");
        TestUser bob = TestUser.create(channel, "getu");
        User me = users(alice).getUser(GetUserRequest.getDefaultInstance()).getUser();
        assertEquals(alice.id().toString(), me.getId());
        assertEquals(alice.username(), me.getUsername());
        assertEquals("Test getu", me.getDisplayName());

        User other = users(alice).getUser(GetUserRequest.newBuilder().setId(bob.id().toString()).build()).getUser();
        assertEquals(bob.id().toString(), other.getId());
        assertEquals(bob.username(), other.getUsername());
    }

    @Test
    void getUserRejectsUnknownAndMalformedIds() {
        TestUser alice = TestUser.create(channel, "getu");
        assertStatus(Status.Code.NOT_FOUND,
                () -> users(alice).getUser(GetUserRequest.newBuilder().setId(UUID.randomUUID().toString()).build()));
        for (String bad : List.of("not-a-uuid", "123", alice.id().toString() + "0", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", " ")) {
            assertStatus(Status.Code.INVALID_ARGUMENT, () -> users(alice).getUser(GetUserRequest.newBuilder().setId(bad).build()));
        }
    }

    // ---------------------------------------------------------------- SearchUsers

    @Test
    void searchUsersFindsByCaseInsensitivePrefixInUsernameOrderAndPages() {
        String prefix = "sr" + randomTag(6);
        List<TestUser> matching = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            matching.add(TestUser.create(channel, prefix));
        }
        // Would match if '_' were treated as a LIKE wildcard.
        anonymousUsers().register(register(prefix + "X" + randomTag(4), "password-123"));
        TestUser caller = matching.getFirst();

        List<String> expected = matching.stream().map(TestUser::username).sorted(java.util.Comparator.comparing((String name) -> name.toLowerCase(java.util.Locale.ROOT))).toList();
        SearchUsersResponse all = users(caller).searchUsers(search(prefix.toUpperCase() + "_", 0, ""));
        assertEquals(expected, all.getUsersList().stream().map(User::getUsername).toList());
        assertEquals("", all.getNextPageToken());

        // Paging by two: 2 + 2 + 1, the last page without a token.
        List<String> paged = new ArrayList<>();
        String token = "";
        List<Integer> pageSizes = new ArrayList<>();
        do {
            SearchUsersResponse page = users(caller).searchUsers(search(prefix + "_", 2, token));
            page.getUsersList().forEach(user -> paged.add(user.getUsername()));
            pageSizes.add(page.getUsersCount());
            token = page.getNextPageToken();
        } while (!token.isEmpty() && pageSizes.size() < 10);
        assertEquals(List.of(2, 2, 1), pageSizes);
        assertEquals(expected, paged);

        // The whole prefix (with the decoy) and a miss.
        assertEquals(6, users(caller).searchUsers(search(prefix, 100, "")).getUsersCount());
        assertEquals(0, users(caller).searchUsers(search(prefix + "_zzzzzz", 0, "")).getUsersCount());
    }

    @Test
    void searchUsersEnforcesLimitsQueryAndPageToken() {
        TestUser caller = TestUser.create(channel, "srlim");
        String query = caller.username();
        assertEquals(1, users(caller).searchUsers(search(query, 1, "")).getUsersCount());
        assertEquals(1, users(caller).searchUsers(search(query, 100, "")).getUsersCount());
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> users(caller).searchUsers(search(query, 101, "")));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> users(caller).searchUsers(search(query, -1, "")));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> users(caller).searchUsers(search("", 10, "")));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> users(caller).searchUsers(search("x".repeat(33), 10, "")));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> users(caller).searchUsers(search("a%", 10, "")));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> users(caller).searchUsers(search(query, 10, "!!not-a-token!!")));
    }

    @Test
    void searchUsersDefaultsToTwentyResults() {
        String prefix = "sd" + randomTag(6);
        List<TestUser> created = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            created.add(TestUser.create(channel, prefix));
        }
        SearchUsersResponse first = users(created.getFirst()).searchUsers(search(prefix, 0, ""));
        assertEquals(20, first.getUsersCount());
        assertFalse(first.getNextPageToken().isEmpty());
        SearchUsersResponse rest = users(created.getFirst()).searchUsers(search(prefix, 0, first.getNextPageToken()));
        assertEquals(1, rest.getUsersCount());
        assertEquals("", rest.getNextPageToken());
    }

    // ---------------------------------------------------------------- SendMessage

    @Test
    void sendMessageStoresTheMessageDurablyBeforeReturning() throws SQLException {
        TestUser alice = TestUser.create(channel, "send");
        TestUser bob = TestUser.create(channel, "send");
        String clientId = UUID.randomUUID().toString();
        SendMessageResponse response = messages(alice).sendMessage(send(bob, "Hello, Bob \uD83D\uDC4B", clientId));
        Message message = response.getMessage();
        assertFalse(response.getDuplicate());
        assertTrue(message.getId() > 0);
        assertEquals(alice.id().toString(), message.getSenderId());
        assertEquals(bob.id().toString(), message.getRecipientId());
        assertEquals("Hello, Bob \uD83D\uDC4B", message.getText());
        assertEquals(clientId, message.getClientMessageId());
        assertTrue(message.getSentAt().getSeconds() > 0);

        // Read straight from PostgreSQL, right after the call returned.
        try (Connection db = backend.jdbc();
             PreparedStatement query = db.prepareStatement(
                     "SELECT sender_id, recipient_id, body, client_message_id FROM messages WHERE id = ?")) {
            query.setLong(1, message.getId());
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), "the message row is committed when SendMessage returns");
                assertEquals(alice.id(), row.getObject("sender_id", UUID.class));
                assertEquals(bob.id(), row.getObject("recipient_id", UUID.class));
                assertEquals("Hello, Bob \uD83D\uDC4B", row.getString("body"));
                assertEquals(clientId, row.getString("client_message_id"));
            }
        }
        // Both feeds got an entry for it.
        assertEquals(2, count("SELECT count(*) FROM feed_entries WHERE message_id = ?", message.getId()));

        // Without a client id, each send is a new message.
        Message a = messages(alice).sendMessage(send(bob, "no id", "")).getMessage();
        Message b = messages(alice).sendMessage(send(bob, "no id", "")).getMessage();
        assertNotEquals(a.getId(), b.getId());
        assertEquals("", a.getClientMessageId());
        assertTrue(b.getId() > a.getId() && a.getId() > message.getId(), "ids increase in send order");
    }

    @Test
    void sendMessageIsIdempotentPerClientMessageId() throws SQLException {
        TestUser alice = TestUser.create(channel, "idem");
        TestUser bob = TestUser.create(channel, "idem");
        TestUser carol = TestUser.create(channel, "idem");
        String clientId = "cm-" + UUID.randomUUID();

        SendMessageResponse first = messages(alice).sendMessage(send(bob, "once", clientId));
        SendMessageResponse again = messages(alice).sendMessage(send(bob, "once", clientId));
        assertFalse(first.getDuplicate());
        assertTrue(again.getDuplicate());
        assertEquals(first.getMessage(), again.getMessage(), "the earlier message is returned unchanged");
        assertEquals(1, count("SELECT count(*) FROM messages WHERE sender_id = ? AND client_message_id = ?", alice.id(), clientId));
        assertEquals(1, messages(bob).getHistory(history(alice, 0, 0)).getMessagesCount());

        // The same id for a different message is a conflict, not a silent duplicate.
        assertStatus(Status.Code.ALREADY_EXISTS, () -> messages(alice).sendMessage(send(bob, "twice", clientId)));
        assertStatus(Status.Code.ALREADY_EXISTS, () -> messages(alice).sendMessage(send(carol, "once", clientId)));
        assertEquals(1, count("SELECT count(*) FROM messages WHERE sender_id = ? AND client_message_id = ?", alice.id(), clientId));

        // Client ids are per sender: bob may use the same one.
        SendMessageResponse bobs = messages(bob).sendMessage(send(alice, "once", clientId));
        assertFalse(bobs.getDuplicate());
        assertNotEquals(first.getMessage().getId(), bobs.getMessage().getId());

        // Malformed client ids are refused.
        for (String bad : List.of("has space", "x".repeat(65), "semi;colon", "ünï")) {
            assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).sendMessage(send(bob, "text", bad)));
        }
        messages(alice).sendMessage(send(bob, "64 chars ok", "A".repeat(64)));
    }

    @Test
    void sendMessageRejectsBadRecipients() {
        TestUser alice = TestUser.create(channel, "rcpt");
        StatusRuntimeException self = assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> messages(alice).sendMessage(send(alice, "hi me", "")));
        assertTrue(self.getStatus().getDescription().contains("yourself"), self.getStatus().toString());
        assertStatus(Status.Code.NOT_FOUND, () -> messages(alice).sendMessage(SendMessageRequest.newBuilder()
                .setRecipientId(UUID.randomUUID().toString()).setText("hello?").build()));
        assertStatus(Status.Code.NOT_FOUND, () -> messages(alice).sendMessage(SendMessageRequest.newBuilder()
                .setRecipientId(UUID.randomUUID().toString()).setText("hello?").setClientMessageId("nf-1").build()));
        for (String bad : List.of("", "nope", alice.id().toString().toUpperCase() + "x")) {
            assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).sendMessage(SendMessageRequest.newBuilder()
                    .setRecipientId(bad).setText("hello?").build()));
        }
        assertTrue(messages(alice).listConversations(ListConversationsRequest.getDefaultInstance()).getConversationsList().isEmpty(),
                "nothing was stored");
    }

    @Test
    void sendMessageValidatesTheText() throws SQLException {
        TestUser alice = TestUser.create(channel, "text");
        TestUser bob = TestUser.create(channel, "text");
        String emoji = "\uD83D\uDE00"; // one code point, two UTF-16 chars
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("empty", "");
        bad.put("spaces", "   ");
        bad.put("whitespace", " \t\n\r\u2003 ");
        bad.put("4097 ASCII", "a".repeat(4097));
        bad.put("4097 emoji", emoji.repeat(4097));
        bad.put("4096 emoji + 1", emoji.repeat(4096) + "a");
        bad.put("NUL", "before\0after");
        bad.forEach((what, text) -> assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> messages(alice).sendMessage(send(bob, text, "")), what));

        // Exactly 4096 code points is allowed, whether ASCII, emoji (8192 UTF-16 chars) or mixed.
        for (String text : List.of("a".repeat(4096), emoji.repeat(4096), emoji.repeat(2048) + "b".repeat(2048))) {
            Message stored = messages(alice).sendMessage(send(bob, text, "")).getMessage();
            assertEquals(text, stored.getText());
            assertEquals(4096, stored.getText().codePointCount(0, stored.getText().length()));
            try (Connection db = backend.jdbc();
                 PreparedStatement query = db.prepareStatement("SELECT body, char_length(body) AS n FROM messages WHERE id = ?")) {
                query.setLong(1, stored.getId());
                try (ResultSet row = query.executeQuery()) {
                    assertTrue(row.next());
                    assertEquals(text, row.getString("body"), "stored unchanged");
                    assertEquals(4096, row.getInt("n"));
                }
            }
        }
        // Leading and trailing whitespace around real text is kept.
        assertEquals("  padded  ", messages(alice).sendMessage(send(bob, "  padded  ", "")).getMessage().getText());
        assertEquals(4, messages(bob).getHistory(history(alice, 0, 0)).getMessagesCount(), "only the valid sends were stored");
    }

    // ---------------------------------------------------------------- GetHistory

    @Test
    void getHistoryPagesNewestFirstWithHasMore() {
        TestUser alice = TestUser.create(channel, "hist");
        TestUser bob = TestUser.create(channel, "hist");
        List<Long> sentIds = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            TestUser from = i % 3 == 2 ? bob : alice;
            TestUser to = from == alice ? bob : alice;
            sentIds.add(messages(from).sendMessage(send(to, "m" + i, "")).getMessage().getId());
        }
        List<Long> newestFirst = sentIds.reversed();

        GetHistoryResponse all = messages(alice).getHistory(history(bob, 0, 0));
        assertEquals(newestFirst, ids(all.getMessagesList()));
        assertFalse(all.getHasMore());
        assertEquals("m6", all.getMessages(0).getText());
        // The peer sees the same conversation.
        assertEquals(newestFirst, ids(messages(bob).getHistory(history(alice, 0, 100)).getMessagesList()));

        List<Long> paged = new ArrayList<>();
        List<Boolean> hasMore = new ArrayList<>();
        long before = 0;
        do {
            GetHistoryResponse page = messages(alice).getHistory(history(bob, before, 3));
            paged.addAll(ids(page.getMessagesList()));
            hasMore.add(page.getHasMore());
            before = page.getMessagesList().getLast().getId();
        } while (hasMore.getLast() && hasMore.size() < 10);
        assertEquals(newestFirst, paged);
        assertEquals(List.of(true, true, false), hasMore);

        // An exact fit has no more; before_id of the oldest gives an empty page.
        GetHistoryResponse exact = messages(alice).getHistory(history(bob, 0, 7));
        assertEquals(7, exact.getMessagesCount());
        assertFalse(exact.getHasMore());
        GetHistoryResponse empty = messages(alice).getHistory(history(bob, sentIds.getFirst(), 10));
        assertEquals(0, empty.getMessagesCount());
        assertFalse(empty.getHasMore());
        // limit 1 and 100 are the bounds.
        GetHistoryResponse one = messages(alice).getHistory(history(bob, 0, 1));
        assertEquals(List.of(newestFirst.getFirst()), ids(one.getMessagesList()));
        assertTrue(one.getHasMore());
    }

    @Test
    void getHistoryRejectsBadArguments() {
        TestUser alice = TestUser.create(channel, "histbad");
        TestUser bob = TestUser.create(channel, "histbad");
        messages(alice).sendMessage(send(bob, "hi", ""));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).getHistory(history(bob, 0, 101)));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).getHistory(history(bob, 0, -1)));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).getHistory(history(bob, -5, 10)));
        assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> messages(alice).getHistory(GetHistoryRequest.newBuilder().setPeerId("nope").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).getHistory(GetHistoryRequest.getDefaultInstance()));
        assertStatus(Status.Code.NOT_FOUND,
                () -> messages(alice).getHistory(GetHistoryRequest.newBuilder().setPeerId(UUID.randomUUID().toString()).build()));
        assertEquals(1, messages(alice).getHistory(history(bob, 0, 100)).getMessagesCount());
        // An existing user with no messages yet is an empty conversation, not an error.
        TestUser stranger = TestUser.create(channel, "histbad");
        GetHistoryResponse none = messages(alice).getHistory(history(stranger, 0, 0));
        assertEquals(0, none.getMessagesCount());
        assertFalse(none.getHasMore());
    }

    @Test
    void usersSeeOnlyTheirOwnConversations() {
        TestUser alice = TestUser.create(channel, "priv");
        TestUser bob = TestUser.create(channel, "priv");
        TestUser carol = TestUser.create(channel, "priv");
        Set<Long> aliceBob = new HashSet<>();
        Set<Long> carolAlice = new HashSet<>();
        Set<Long> carolBob = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            aliceBob.add(messages(alice).sendMessage(send(bob, "a->b " + i, "")).getMessage().getId());
            carolAlice.add(messages(carol).sendMessage(send(alice, "c->a " + i, "")).getMessage().getId());
            aliceBob.add(messages(bob).sendMessage(send(alice, "b->a " + i, "")).getMessage().getId());
            carolBob.add(messages(carol).sendMessage(send(bob, "c->b " + i, "")).getMessage().getId());
            carolAlice.add(messages(alice).sendMessage(send(carol, "a->c " + i, "")).getMessage().getId());
        }
        assertEquals(aliceBob, Set.copyOf(ids(messages(alice).getHistory(history(bob, 0, 100)).getMessagesList())));
        assertEquals(aliceBob, Set.copyOf(ids(messages(bob).getHistory(history(alice, 0, 100)).getMessagesList())));
        assertEquals(carolAlice, Set.copyOf(ids(messages(alice).getHistory(history(carol, 0, 100)).getMessagesList())));
        assertEquals(carolBob, Set.copyOf(ids(messages(carol).getHistory(history(bob, 0, 100)).getMessagesList())));
        for (Message m : messages(alice).getHistory(history(bob, 0, 100)).getMessagesList()) {
            assertTrue(Set.of(alice.id().toString(), bob.id().toString()).containsAll(List.of(m.getSenderId(), m.getRecipientId())),
                    "only alice and bob in their history: " + m);
        }
        // Carol's conversation list shows only her own peers, and paging with small pages never leaks.
        List<String> carolsPeers = messages(carol).listConversations(ListConversationsRequest.getDefaultInstance())
                .getConversationsList().stream().map(c -> c.getPeer().getId()).sorted().toList();
        assertEquals(List.of(alice.id().toString(), bob.id().toString()).stream().sorted().toList(), carolsPeers);
        Set<Long> seenByAliceWithBob = new HashSet<>();
        long before = 0;
        for (int i = 0; i < 10; i++) {
            GetHistoryResponse page = messages(alice).getHistory(history(bob, before, 2));
            seenByAliceWithBob.addAll(ids(page.getMessagesList()));
            if (!page.getHasMore()) {
                break;
            }
            before = page.getMessagesList().getLast().getId();
        }
        assertEquals(aliceBob, seenByAliceWithBob);
    }

    // ---------------------------------------------------------------- ListConversations and MarkRead

    @Test
    void listConversationsOrdersByActivityWithUnreadCountsAndFeedSeq() {
        TestUser alice = TestUser.create(channel, "conv");
        TestUser bob = TestUser.create(channel, "conv");
        TestUser carol = TestUser.create(channel, "conv");
        TestUser dave = TestUser.create(channel, "conv");
        assertEquals(0, messages(alice).listConversations(ListConversationsRequest.getDefaultInstance()).getFeedSeq(),
                "no feed entries yet");

        messages(alice).sendMessage(send(bob, "hi bob", ""));                 // alice feed 1
        messages(carol).sendMessage(send(alice, "hi alice", ""));             // 2
        Message carolLast = messages(carol).sendMessage(send(alice, "are you there?", "")).getMessage(); // 3
        messages(dave).sendMessage(send(alice, "hey", ""));                   // 4
        Message bobLast = messages(bob).sendMessage(send(alice, "hi alice", "")).getMessage();           // 5
        messages(bob).sendMessage(send(carol, "not alice's business", ""));   // not in alice's feed

        ListConversationsResponse list = messages(alice).listConversations(ListConversationsRequest.getDefaultInstance());
        assertEquals(5, list.getFeedSeq());
        assertEquals("", list.getNextPageToken());
        assertEquals(List.of(bob.username(), dave.username(), carol.username()),
                list.getConversationsList().stream().map(c -> c.getPeer().getUsername()).toList(), "most recent activity first");
        Conversation withBob = list.getConversations(0);
        assertEquals(bobLast, withBob.getLastMessage());
        assertEquals(1, withBob.getUnreadCount(), "alice's own message is read, bob's reply is not");
        Conversation withCarol = list.getConversations(2);
        assertEquals(carolLast, withCarol.getLastMessage());
        assertEquals(2, withCarol.getUnreadCount());
        assertEquals(0, withCarol.getLastReadMessageId());
        assertEquals(carol.id().toString(), withCarol.getPeer().getId());
        assertEquals("Test conv", withCarol.getPeer().getDisplayName());
        String carolAndAlice = DirectConversation.id(carol.id(), alice.id()).toString();
        assertEquals(carolAndAlice, withCarol.getId(), "a direct conversation's id follows from its two members");
        assertEquals(ConversationKind.CONVERSATION_KIND_DIRECT, withCarol.getKind());
        assertEquals(2, withCarol.getMemberCount());
        assertEquals("", withCarol.getTitle());
        assertEquals(carolAndAlice, carolLast.getConversationId(), "each message names its conversation");

        // The sender's side of a conversation has nothing unread.
        Conversation bobsWithAlice = messages(bob).listConversations(ListConversationsRequest.getDefaultInstance())
                .getConversationsList().stream().filter(c -> c.getPeer().getId().equals(alice.id().toString())).findFirst()
                .orElseThrow();
        assertEquals(withBob.getId(), bobsWithAlice.getId(), "one conversation, seen by both members");
        assertEquals(0, bobsWithAlice.getUnreadCount());
        assertEquals(bobLast.getId(), bobsWithAlice.getLastReadMessageId());

        // Paging by two.
        ListConversationsResponse first = messages(alice).listConversations(conversations(2, ""));
        assertEquals(2, first.getConversationsCount());
        assertFalse(first.getNextPageToken().isEmpty());
        ListConversationsResponse second = messages(alice).listConversations(conversations(2, first.getNextPageToken()));
        assertEquals(List.of(carol.username()), second.getConversationsList().stream().map(c -> c.getPeer().getUsername()).toList());
        assertEquals("", second.getNextPageToken());

        // Activity moves a conversation to the top.
        messages(alice).sendMessage(send(carol, "sorry, here now", ""));
        ListConversationsResponse after = messages(alice).listConversations(ListConversationsRequest.getDefaultInstance());
        assertEquals(carol.username(), after.getConversations(0).getPeer().getUsername());
        assertEquals(0, after.getConversations(0).getUnreadCount(), "replying marks the conversation read");
        assertEquals(6, after.getFeedSeq());
    }

    @Test
    void listConversationsRejectsBadLimitsAndTokens() {
        TestUser alice = TestUser.create(channel, "convbad");
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).listConversations(conversations(101, "")));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).listConversations(conversations(-1, "")));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).listConversations(conversations(10, "garbage")));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).listConversations(conversations(10, "-3")));
        assertEquals(0, messages(alice).listConversations(conversations(100, "")).getConversationsCount());
    }

    @Test
    void aConversationCanBeNamedByItsIdInsteadOfThePeer() {
        TestUser alice = TestUser.create(channel, "byid");
        TestUser bob = TestUser.create(channel, "byid");
        TestUser carol = TestUser.create(channel, "byid");
        Message first = messages(alice).sendMessage(send(bob, "hello", "")).getMessage();
        String conversation = first.getConversationId();

        Message reply = messages(bob).sendMessage(SendMessageRequest.newBuilder().setConversationId(conversation)
                .setText("hi, by id").build()).getMessage();
        assertEquals(alice.id().toString(), reply.getRecipientId());
        assertEquals(conversation, reply.getConversationId());
        GetHistoryResponse history = messages(alice).getHistory(GetHistoryRequest.newBuilder().setConversationId(conversation).build());
        assertEquals(List.of(reply, first), history.getMessagesList());
        MarkReadResponse read = messages(alice).markRead(MarkReadRequest.newBuilder().setConversationId(conversation).build());
        assertEquals(0, read.getUnreadCount());
        assertEquals(reply.getId(), read.getLastReadMessageId());

        // Exactly one of the two forms.
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).sendMessage(send(bob, "both", "").toBuilder()
                .setConversationId(conversation).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).sendMessage(SendMessageRequest.newBuilder().setText("neither").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).getHistory(history(bob, 0, 0).toBuilder()
                .setConversationId(conversation).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).markRead(MarkReadRequest.getDefaultInstance()));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).getHistory(GetHistoryRequest.newBuilder()
                .setConversationId("not-a-uuid").build()));

        // Someone else's conversation and one that does not exist look the same: ids cannot be probed.
        for (String other : List.of(conversation, UUID.randomUUID().toString())) {
            StatusRuntimeException read1 = assertThrows(StatusRuntimeException.class, () -> messages(carol).getHistory(
                    GetHistoryRequest.newBuilder().setConversationId(other).build()));
            assertEquals(Status.Code.NOT_FOUND, read1.getStatus().getCode());
            assertEquals("No conversation with id " + other, read1.getStatus().getDescription());
            assertStatus(Status.Code.NOT_FOUND, () -> messages(carol).sendMessage(SendMessageRequest.newBuilder()
                    .setConversationId(other).setText("let me in").build()));
            assertStatus(Status.Code.NOT_FOUND, () -> messages(carol).markRead(MarkReadRequest.newBuilder()
                    .setConversationId(other).build()));
        }
        assertEquals(2, messages(bob).getHistory(history(alice, 0, 0)).getMessagesCount(), "the refused sends stored nothing");
    }

    @Test
    void markReadLowersTheUnreadCountToZero() {
        TestUser alice = TestUser.create(channel, "mark");
        TestUser bob = TestUser.create(channel, "mark");
        List<Message> fromBob = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fromBob.add(messages(bob).sendMessage(send(alice, "unread " + i, "")).getMessage());
        }
        assertEquals(3, conversationWith(alice, bob).getUnreadCount());

        MarkReadResponse partial = messages(alice).markRead(MarkReadRequest.newBuilder()
                .setPeerId(bob.id().toString()).setUpToMessageId(fromBob.getFirst().getId()).build());
        assertEquals(2, partial.getUnreadCount());
        assertEquals(fromBob.getFirst().getId(), partial.getLastReadMessageId());
        assertEquals(2, conversationWith(alice, bob).getUnreadCount());

        // Marking an older position never moves the read position back.
        MarkReadResponse backwards = messages(alice).markRead(MarkReadRequest.newBuilder()
                .setPeerId(bob.id().toString()).setUpToMessageId(1).build());
        assertEquals(2, backwards.getUnreadCount());
        assertEquals(fromBob.getFirst().getId(), backwards.getLastReadMessageId());

        MarkReadResponse all = messages(alice).markRead(MarkReadRequest.newBuilder().setPeerId(bob.id().toString()).build());
        assertEquals(0, all.getUnreadCount());
        assertEquals(fromBob.getLast().getId(), all.getLastReadMessageId());
        Conversation conversation = conversationWith(alice, bob);
        assertEquals(0, conversation.getUnreadCount());
        assertEquals(fromBob.getLast().getId(), conversation.getLastReadMessageId());

        // A new message is unread again.
        messages(bob).sendMessage(send(alice, "one more", ""));
        assertEquals(1, conversationWith(alice, bob).getUnreadCount());
    }

    @Test
    void markReadRejectsUnknownPeersAndBadArguments() {
        TestUser alice = TestUser.create(channel, "markbad");
        TestUser bob = TestUser.create(channel, "markbad");
        TestUser stranger = TestUser.create(channel, "markbad");
        messages(bob).sendMessage(send(alice, "hi", ""));
        assertStatus(Status.Code.NOT_FOUND, () -> messages(alice).markRead(MarkReadRequest.newBuilder()
                .setPeerId(UUID.randomUUID().toString()).build()));
        assertStatus(Status.Code.NOT_FOUND, () -> messages(alice).markRead(MarkReadRequest.newBuilder()
                .setPeerId(stranger.id().toString()).build()), "an existing user without a conversation");
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).markRead(MarkReadRequest.newBuilder()
                .setPeerId("nope").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> messages(alice).markRead(MarkReadRequest.newBuilder()
                .setPeerId(bob.id().toString()).setUpToMessageId(-1).build()));
        assertEquals(1, conversationWith(alice, bob).getUnreadCount(), "failed calls changed nothing");
    }

    // ---------------------------------------------------------------- Subscribe

    @Test
    void subscribeReplaysAfterSeqThenDeliversLive() throws Exception {
        TestUser alice = TestUser.create(channel, "sub");
        TestUser bob = TestUser.create(channel, "sub");
        Message m1 = messages(bob).sendMessage(send(alice, "one", "")).getMessage();
        Message m2 = messages(alice).sendMessage(send(bob, "two", "c2")).getMessage();

        ManagedChannel feedChannel = backend.newChannel();
        try {
            var feed = alice.as(NotificationsServiceGrpc.newBlockingStub(feedChannel)).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .subscribe(SubscribeRequest.newBuilder().setAfterSeq(0).build());
            FeedEvent first = nextMessage(feed);
            FeedEvent second = nextMessage(feed);
            assertEquals(1, first.getMessage().getSeq());
            assertEquals(m1, first.getMessage().getMessage());
            assertEquals(2, second.getMessage().getSeq());
            assertEquals(m2, second.getMessage().getMessage(), "the caller's own sends are in the feed too");

            Message m3 = messages(bob).sendMessage(send(alice, "three, live", "")).getMessage();
            FeedEvent third = nextMessage(feed);
            assertEquals(3, third.getMessage().getSeq());
            assertEquals(m3, third.getMessage().getMessage());

            // Resuming after seq 2 replays only seq 3.
            var resumed = alice.as(NotificationsServiceGrpc.newBlockingStub(feedChannel)).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .subscribe(SubscribeRequest.newBuilder().setAfterSeq(2).build());
            FeedEvent replayed = nextMessage(resumed);
            assertEquals(3, replayed.getMessage().getSeq());
            assertEquals(m3.getId(), replayed.getMessage().getMessage().getId());
        } finally {
            feedChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void subscribeRejectsANegativeAfterSeq() throws InterruptedException {
        TestUser alice = TestUser.create(channel, "subbad");
        ManagedChannel feedChannel = backend.newChannel();
        try {
            var feed = alice.as(NotificationsServiceGrpc.newBlockingStub(feedChannel)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .subscribe(SubscribeRequest.newBuilder().setAfterSeq(-1).build());
            assertStatus(Status.Code.INVALID_ARGUMENT, feed::hasNext);
        } finally {
            feedChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- Authentication

    @Test
    void everyNonPublicMethodNeedsAValidToken() throws InterruptedException {
        TestUser alice = TestUser.create(channel, "auth");
        TestUser bob = TestUser.create(channel, "auth");
        messages(bob).sendMessage(send(alice, "hi", ""));

        Map<String, String> badAuthorizations = new LinkedHashMap<>();
        badAuthorizations.put("no token", null);
        badAuthorizations.put("garbage token", "Bearer garbage-token-that-was-never-issued");
        badAuthorizations.put("empty bearer", "Bearer ");
        badAuthorizations.put("wrong scheme", "Basic " + alice.token());
        badAuthorizations.put("token without scheme", alice.token());
        badAuthorizations.put("tampered token", "Bearer " + alice.token() + "x");

        ManagedChannel feedChannel = backend.newChannel();
        try {
            badAuthorizations.forEach((what, authorization) -> {
                Map<String, Executable> calls = new LinkedHashMap<>();
                calls.put("Logout", () -> withAuth(UsersServiceGrpc.newBlockingStub(channel), authorization)
                        .logout(LogoutRequest.getDefaultInstance()));
                calls.put("GetUser", () -> withAuth(UsersServiceGrpc.newBlockingStub(channel), authorization)
                        .getUser(GetUserRequest.getDefaultInstance()));
                calls.put("SearchUsers", () -> withAuth(UsersServiceGrpc.newBlockingStub(channel), authorization)
                        .searchUsers(search("auth", 10, "")));
                calls.put("SendMessage", () -> withAuth(MessagesServiceGrpc.newBlockingStub(channel), authorization)
                        .sendMessage(send(bob, "unauthenticated", "")));
                calls.put("GetHistory", () -> withAuth(MessagesServiceGrpc.newBlockingStub(channel), authorization)
                        .getHistory(history(bob, 0, 0)));
                calls.put("ListConversations", () -> withAuth(MessagesServiceGrpc.newBlockingStub(channel), authorization)
                        .listConversations(ListConversationsRequest.getDefaultInstance()));
                calls.put("MarkRead", () -> withAuth(MessagesServiceGrpc.newBlockingStub(channel), authorization)
                        .markRead(MarkReadRequest.newBuilder().setPeerId(bob.id().toString()).build()));
                calls.put("CreateGroup", () -> withAuth(MessagesServiceGrpc.newBlockingStub(channel), authorization)
                        .createGroup(CreateGroupRequest.newBuilder().setTitle("anonymous").addMemberIds(bob.id().toString()).build()));
                calls.put("GetConversation", () -> withAuth(MessagesServiceGrpc.newBlockingStub(channel), authorization)
                        .getConversation(GetConversationRequest.newBuilder()
                                .setConversationId(DirectConversation.id(alice.id(), bob.id()).toString()).build()));
                calls.put("ListMembers", () -> withAuth(MessagesServiceGrpc.newBlockingStub(channel), authorization)
                        .listMembers(ListMembersRequest.newBuilder()
                                .setConversationId(DirectConversation.id(alice.id(), bob.id()).toString()).build()));
                String someGroup = UUID.randomUUID().toString();
                calls.put("AddMembers", () -> withAuth(MessagesServiceGrpc.newBlockingStub(channel), authorization)
                        .addMembers(AddMembersRequest.newBuilder().setConversationId(someGroup).addUserIds(bob.id().toString()).build()));
                calls.put("RemoveMember", () -> withAuth(MessagesServiceGrpc.newBlockingStub(channel), authorization)
                        .removeMember(RemoveMemberRequest.newBuilder().setConversationId(someGroup).setUserId(bob.id().toString()).build()));
                calls.put("LeaveConversation", () -> withAuth(MessagesServiceGrpc.newBlockingStub(channel), authorization)
                        .leaveConversation(LeaveConversationRequest.newBuilder().setConversationId(someGroup).build()));
                calls.put("RenameGroup", () -> withAuth(MessagesServiceGrpc.newBlockingStub(channel), authorization)
                        .renameGroup(RenameGroupRequest.newBuilder().setConversationId(someGroup).setTitle("x").build()));
                calls.put("Subscribe", () -> withAuth(NotificationsServiceGrpc.newBlockingStub(feedChannel), authorization)
                        .subscribe(SubscribeRequest.getDefaultInstance()).hasNext());
                calls.forEach((method, call) -> assertStatus(Status.Code.UNAUTHENTICATED, call, method + " with " + what));
            });
        } finally {
            feedChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        // Nothing happened on anyone's behalf, and alice's real token still works (the failed Logouts revoked nothing).
        assertEquals(1, messages(alice).getHistory(history(bob, 0, 0)).getMessagesCount());
        assertEquals(1, conversationWith(alice, bob).getUnreadCount());
        // Register and Login are public: they work with no token, and ignore a bad one.
        String name = uniqueName("pub");
        withAuth(UsersServiceGrpc.newBlockingStub(channel), "Bearer garbage").register(register(name, "password-123"));
        assertFalse(withAuth(UsersServiceGrpc.newBlockingStub(channel), null).login(login(name, "password-123")).getToken().isEmpty());
    }

    // ---------------------------------------------------------------- helpers

    private static UsersServiceGrpc.UsersServiceBlockingStub anonymousUsers() {
        return UsersServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    private static UsersServiceGrpc.UsersServiceBlockingStub users(TestUser user) {
        return user.as(UsersServiceGrpc.newBlockingStub(channel)).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    private static MessagesServiceGrpc.MessagesServiceBlockingStub messages(TestUser user) {
        return user.as(MessagesServiceGrpc.newBlockingStub(channel)).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** The stub with this exact authorization header value, or none when null. */
    private static <S extends AbstractStub<S>> S withAuth(S stub, String authorization) {
        S bounded = stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
        if (authorization == null) {
            return bounded;
        }
        return bounded.withCallCredentials(BearerToken.rawHeader(authorization));
    }

    static StatusRuntimeException assertStatus(Status.Code expected, Executable call) {
        return assertStatus(expected, call, "");
    }

    static StatusRuntimeException assertStatus(Status.Code expected, Executable call, String what) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call, what);
        assertEquals(expected, e.getStatus().getCode(), what + ": " + e.getStatus());
        assertTrue(e.getStatus().getDescription() != null && !e.getStatus().getDescription().isBlank(),
                what + ": the status says why: " + e.getStatus());
        return e;
    }

    private static FeedEvent nextMessage(java.util.Iterator<FeedEvent> feed) {
        for (int i = 0; i < 30; i++) {
            if (!feed.hasNext()) {
                fail("the feed ended");
            }
            FeedEvent event = feed.next();
            if (event.hasMessage()) {
                return event;
            }
        }
        return fail("no message within 30 events");
    }

    private static Conversation conversationWith(TestUser owner, TestUser peer) {
        return messages(owner).listConversations(ListConversationsRequest.newBuilder().setLimit(100).build())
                .getConversationsList().stream()
                .filter(c -> c.getPeer().getId().equals(peer.id().toString()))
                .findFirst().orElseThrow(() -> new AssertionError("no conversation with " + peer.username()));
    }

    private static long count(String sql, Object... params) throws SQLException {
        try (Connection db = backend.jdbc(); PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                query.setObject(i + 1, params[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                return row.getLong(1);
            }
        }
    }

    private static List<Long> ids(List<Message> messages) {
        return messages.stream().map(Message::getId).toList();
    }

    private static RegisterRequest register(String username, String password) {
        return RegisterRequest.newBuilder().setUsername(username).setPassword(password).build();
    }

    private static LoginRequest login(String username, String password) {
        return LoginRequest.newBuilder().setUsername(username).setPassword(password).build();
    }

    private static SearchUsersRequest search(String query, int limit, String pageToken) {
        return SearchUsersRequest.newBuilder().setQuery(query).setLimit(limit).setPageToken(pageToken).build();
    }

    private static SendMessageRequest send(TestUser to, String text, String clientMessageId) {
        return SendMessageRequest.newBuilder().setRecipientId(to.id().toString()).setText(text)
                .setClientMessageId(clientMessageId).build();
    }

    private static GetHistoryRequest history(TestUser peer, long beforeId, int limit) {
        return GetHistoryRequest.newBuilder().setPeerId(peer.id().toString()).setBeforeId(beforeId).setLimit(limit).build();
    }

    private static ListConversationsRequest conversations(int limit, String pageToken) {
        return ListConversationsRequest.newBuilder().setLimit(limit).setPageToken(pageToken).build();
    }

    /** A username unique across runs against the same database: at most 3 + 1 + 13 characters. */
    private static String uniqueName(String prefix) {
        return prefix + "_" + randomTag(12);
    }

    private static String randomTag(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder tag = new StringBuilder();
        for (int i = 0; i < length; i++) {
            tag.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return tag.toString();
    }
}
