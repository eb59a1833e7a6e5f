package dev.messenger.server.rest;

import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import io.grpc.ManagedChannel;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every REST endpoint of openapi.yaml through real HTTP against the real server, every response
 * checked against the contract, and hostile input answered with the right problem and no partial state.
 */
@ExtendWith(BackendExtension.class)
class RestApiTest {
    private static final String JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_BASE = "https://messenger.dev/problems/";
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private final TestBackend backend;
    private final HttpClient http;
    private final OpenApiContract contract = OpenApiContract.get();
    private ManagedChannel channel;

    RestApiTest(TestBackend backend) {
        this.backend = backend;
        this.http = backend.http();
    }

    @BeforeEach
    void openChannel() {
        channel = backend.newChannel();
    }

    @AfterEach
    void closeChannel() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- accounts and sessions

    @Test
    void registerLoginMeAndLogout() throws Exception {
        String username = uniqueName("Reg");
        String registerBody = json("username", username, "displayName", "  Régine Ünïcode 🙂  ", "password", "longenough-password");
        var registered = contract.assertExchange(post("/users/register", null, JSON, registerBody), registerBody);
        assertEquals(201, registered.statusCode(), registered.body());
        JsonObject user = parse(registered).getJsonObject("user");
        assertEquals(username, user.getString("username"));
        assertEquals("Régine Ünïcode 🙂", user.getString("displayName"), "display name is stored trimmed");
        UUID id = UUID.fromString(user.getString("id"));
        Instant createdAt = Instant.parse(user.getString("createdAt"));
        assertTrue(Duration.between(createdAt, Instant.now()).abs().toMinutes() < 5, "createdAt is now: " + createdAt);
        assertFalse(registered.body().contains("longenough-password"), "no credentials in the response");
        assertEquals(1, countUsers(username));

        // Login is case-insensitive on the username.
        String loginBody = json("username", username.toLowerCase(Locale.ROOT), "password", "longenough-password");
        var login = contract.assertExchange(post("/auth/login", null, JSON, loginBody), loginBody);
        assertEquals(200, login.statusCode(), login.body());
        JsonObject loggedIn = parse(login);
        String token = loggedIn.getString("token");
        assertFalse(token.isBlank());
        assertEquals(id.toString(), loggedIn.getJsonObject("user").getString("id"));
        assertTrue(Instant.parse(loggedIn.getString("expiresAt")).isAfter(Instant.now().plus(Duration.ofDays(1))));

        var me = contract.assertExchange(get("/users/me", token), null);
        assertEquals(200, me.statusCode(), me.body());
        assertEquals(user, parse(me).getJsonObject("user"), "/users/me is the registered profile");

        var byId = contract.assertExchange(get("/users/" + id, token), null);
        assertEquals(200, byId.statusCode(), byId.body());
        assertEquals(user, parse(byId).getJsonObject("user"));

        // A second session survives the first one's logout.
        var second = post("/auth/login", null, JSON, loginBody);
        assertEquals(200, second.statusCode(), second.body());
        String otherToken = parse(second).getString("token");
        assertNotEquals(token, otherToken);

        var logout = contract.assertExchange(post("/auth/logout", token, null, null), null);
        assertEquals(204, logout.statusCode(), logout.body());
        assertEquals("", logout.body());

        var afterLogout = get("/users/me", token);
        assertProblem(afterLogout, 401, "unauthenticated");
        assertTrue(afterLogout.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"));
        assertProblem(post("/auth/logout", token, null, null), 401, "unauthenticated");

        var stillSignedIn = contract.assertResponse(get("/users/me", otherToken));
        assertEquals(200, stillSignedIn.statusCode(), stillSignedIn.body());
    }

    @Test
    void loginFailuresAreUnauthenticatedProblems() throws Exception {
        TestUser alice = TestUser.create(channel, "login");
        String wrongPassword = json("username", alice.username(), "password", "not the password");
        var wrong = contract.assertExchange(post("/auth/login", null, JSON, wrongPassword), wrongPassword);
        assertProblem(wrong, 401, "unauthenticated");
        assertFalse(wrong.body().contains("not the password"));

        String unknownUser = json("username", uniqueName("ghost"), "password", "whatever-password");
        var unknown = contract.assertExchange(post("/auth/login", null, JSON, unknownUser), unknownUser);
        assertProblem(unknown, 401, "unauthenticated");
        assertEquals(problem(wrong).getString("detail"), problem(unknown).getString("detail"),
                "an unknown user and a wrong password are indistinguishable");

        assertProblem(post("/auth/login", null, JSON, "{}"), 400, "invalid-argument");
        // Text PostgreSQL cannot store is refused before any query (once answered 500).
        assertProblem(post("/auth/login", null, JSON, "{\"username\":\"a\\u0000b\",\"password\":\"whatever-password\"}"),
                400, "invalid-argument");
        assertProblem(post("/auth/login", null, JSON, "{\"username\":\"alice\",\"password\":\"x\\u0000y-password\"}"),
                400, "invalid-argument");
        assertProblem(post("/auth/login", null, JSON, "{\"username\":\"\\ud800ab\",\"password\":\"whatever-password\"}"),
                400, "invalid-argument");
        String forged = json("username", "x\r\n2026-01-01 INFO forged line", "password", "whatever-password");
        assertProblem(post("/auth/login", null, JSON, forged), 401, "unauthenticated");
        assertProblem(post("/auth/login", null, JSON, null), 400, "invalid-argument");
        assertProblem(post("/auth/login", null, JSON, "[\"" + alice.username() + "\"]"), 400, "invalid-argument");
        assertProblem(post("/auth/login", null, JSON, "{\"username\":"), 400, "invalid-argument");
        assertProblem(post("/auth/login", null, "text/plain",
                json("username", alice.username(), "password", TestUser.PASSWORD)), 415, "unsupported-media-type");
        assertProblem(post("/auth/login", null, JSON,
                "{\"username\":\"" + alice.username() + "\",\"password\":\"" + TestUser.PASSWORD + "\",\"remember\":true}"),
                400, "invalid-argument");
    }

    @Test
    void getUserByIdAndUnknownIds() throws Exception {
        TestUser alice = TestUser.create(channel, "getu");
        TestUser bob = TestUser.create(channel, "getu");
        var found = contract.assertExchange(get("/users/" + bob.id(), alice.token()), null);
        assertEquals(200, found.statusCode(), found.body());
        JsonObject user = parse(found).getJsonObject("user");
        assertEquals(bob.username(), user.getString("username"));
        assertEquals("Test getu", user.getString("displayName"));
        assertEquals(false, user.getBoolean("deleted"));
        assertEquals(5, user.size(), "a public profile has exactly id, username, displayName, createdAt, deleted: " + user);

        assertProblem(contract.assertExchange(get("/users/" + UUID.randomUUID(), alice.token()), null), 404, "not-found");
        assertProblem(get("/users/not-a-uuid", alice.token()), 400, "invalid-argument");
        assertProblem(get("/users/" + bob.id().toString().replace("-", ""), alice.token()), 400, "invalid-argument");
        assertProblem(get("/users/" + enc("'; DROP TABLE users; --"), alice.token()), 400, "invalid-argument");
        assertProblem(get("/users/" + bob.id() + "0", alice.token()), 400, "invalid-argument");
    }

    @Test
    void searchPagesThroughMatchingUsersInUsernameOrder() throws Exception {
        String prefix = "sr" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + COUNTER.incrementAndGet();
        List<TestUser> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            users.add(TestUser.create(channel, prefix));
        }
        TestUser caller = users.getFirst();
        List<String> expected = users.stream().map(TestUser::username)
                .sorted(Comparator.comparing(name -> name.toLowerCase(Locale.ROOT))).toList();

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String pageToken = "";
        for (int page = 0; page < 10; page++) {
            String path = "/users?q=" + enc(prefix) + "&limit=2" + (pageToken.isEmpty() ? "" : "&pageToken=" + enc(pageToken));
            var response = contract.assertExchange(get(path, caller.token()), null);
            assertEquals(200, response.statusCode(), response.body());
            JsonObject body = parse(response);
            JsonArray found = body.getJsonArray("users");
            pageSizes.add(found.size());
            found.getValuesAs(JsonObject.class).forEach(user -> seen.add(user.getString("username")));
            pageToken = body.getString("nextPageToken");
            if (pageToken.isEmpty()) {
                break;
            }
        }
        assertEquals(List.of(2, 2, 1), pageSizes);
        assertEquals(expected, seen, "every match exactly once, in username order");

        // Case-insensitive, default page size.
        var upper = contract.assertExchange(get("/users?q=" + enc(prefix.toUpperCase(Locale.ROOT)), caller.token()), null);
        assertEquals(200, upper.statusCode(), upper.body());
        JsonObject all = parse(upper);
        assertEquals(expected, all.getJsonArray("users").getValuesAs(JsonObject.class).stream()
                .map(user -> user.getString("username")).toList());
        assertEquals("", all.getString("nextPageToken"));

        var none = contract.assertExchange(get("/users?q=" + enc(prefix + "zzzz") + "&limit=100", caller.token()), null);
        assertEquals(200, none.statusCode(), none.body());
        assertEquals(0, parse(none).getJsonArray("users").size());
        assertEquals("", parse(none).getString("nextPageToken"));

        assertProblem(get("/users?q=" + enc(prefix) + "&pageToken=" + enc("not a token!"), caller.token()), 400, "invalid-argument");
    }

    // ---------------------------------------------------------------- messages

    @Test
    void sendIsIdempotentPerClientMessageId() throws Exception {
        TestUser alice = TestUser.create(channel, "send");
        TestUser bob = TestUser.create(channel, "send");
        String clientId = UUID.randomUUID().toString();
        String body = json("recipientId", bob.id().toString(), "text", "Hello, Bob!", "clientMessageId", clientId);

        var created = contract.assertExchange(post("/messages/send", alice.token(), JSON, body), body);
        assertEquals(201, created.statusCode(), created.body());
        JsonObject first = parse(created);
        assertFalse(first.getBoolean("duplicate"));
        JsonObject message = first.getJsonObject("message");
        assertEquals(alice.id().toString(), message.getString("senderId"));
        assertEquals(bob.id().toString(), message.getString("recipientId"));
        assertEquals("Hello, Bob!", message.getString("text"));
        assertEquals(clientId, message.getString("clientMessageId"));
        assertTrue(Long.parseLong(message.getString("id")) > 0);
        Instant.parse(message.getString("sentAt"));

        var retried = contract.assertExchange(post("/messages/send", alice.token(), JSON, body), body);
        assertEquals(200, retried.statusCode(), retried.body());
        JsonObject second = parse(retried);
        assertTrue(second.getBoolean("duplicate"));
        assertEquals(message, second.getJsonObject("message"), "the earlier message is returned");

        String different = json("recipientId", bob.id().toString(), "text", "Something else", "clientMessageId", clientId);
        assertProblem(contract.assertExchange(post("/messages/send", alice.token(), JSON, different), different), 409, "already-exists");
        assertEquals(1, countMessagesFrom(alice.id()), "one message however often it was sent");

        // The same key from another sender is independent.
        String bobsBody = json("recipientId", alice.id().toString(), "text", "Hi", "clientMessageId", clientId);
        var bobs = post("/messages/send", bob.token(), JSON, bobsBody);
        assertEquals(201, contract.assertExchange(bobs, bobsBody).statusCode(), bobs.body());

        // Without a key every send is a new message; the key comes back empty.
        String noKey = json("recipientId", bob.id().toString(), "text", "No key");
        var a = contract.assertExchange(post("/messages/send", alice.token(), JSON, noKey), noKey);
        var b = contract.assertExchange(post("/messages/send", alice.token(), JSON, noKey), noKey);
        assertEquals(201, a.statusCode(), a.body());
        assertEquals(201, b.statusCode(), b.body());
        assertEquals("", parse(a).getJsonObject("message").getString("clientMessageId"));
        assertNotEquals(parse(a).getJsonObject("message").getString("id"), parse(b).getJsonObject("message").getString("id"));
        assertEquals(3, countMessagesFrom(alice.id()));
    }

    @Test
    void sendToUnknownRecipientOrSelfIsRejected() throws Exception {
        TestUser alice = TestUser.create(channel, "sendx");
        String toNobody = json("recipientId", UUID.randomUUID().toString(), "text", "hello?");
        assertProblem(contract.assertExchange(post("/messages/send", alice.token(), JSON, toNobody), toNobody), 404, "not-found");
        String toSelf = json("recipientId", alice.id().toString(), "text", "note to self");
        assertProblem(contract.assertExchange(post("/messages/send", alice.token(), JSON, toSelf), toSelf), 400, "invalid-argument");
        assertEquals(0, countMessagesFrom(alice.id()));
    }

    @Test
    void historyPagesNewestFirstInBothForms() throws Exception {
        TestUser alice = TestUser.create(channel, "hist");
        TestUser bob = TestUser.create(channel, "hist");
        TestUser carol = TestUser.create(channel, "hist");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TestUser from = i % 2 == 0 ? alice : bob;
            TestUser to = i % 2 == 0 ? bob : alice;
            ids.add(send(from, to, "message " + i));
        }
        List<String> newestFirst = ids.reversed();

        List<String> paged = new ArrayList<>();
        List<Boolean> hasMore = new ArrayList<>();
        String before = null;
        for (int page = 0; page < 10; page++) {
            String path = "/messages/history?with=" + bob.id() + "&limit=2" + (before == null ? "" : "&before=" + before);
            var response = contract.assertExchange(get(path, alice.token()), null);
            assertEquals(200, response.statusCode(), response.body());
            JsonObject body = parse(response);
            List<JsonObject> messages = body.getJsonArray("messages").getValuesAs(JsonObject.class);
            messages.forEach(message -> paged.add(message.getString("id")));
            hasMore.add(body.getBoolean("hasMore"));
            if (!body.getBoolean("hasMore")) {
                break;
            }
            before = messages.getLast().getString("id");
        }
        assertEquals(List.of(true, true, false), hasMore);
        assertEquals(newestFirst, paged);

        // Default limit; the other side sees the same conversation; texts and senders are right.
        var full = contract.assertExchange(get("/messages/history?with=" + alice.id(), bob.token()), null);
        assertEquals(200, full.statusCode(), full.body());
        List<JsonObject> all = parse(full).getJsonArray("messages").getValuesAs(JsonObject.class);
        assertEquals(newestFirst, all.stream().map(m -> m.getString("id")).toList());
        assertFalse(parse(full).getBoolean("hasMore"));
        assertEquals("message 4", all.getFirst().getString("text"));
        assertEquals(alice.id().toString(), all.getFirst().getString("senderId"));
        assertEquals(bob.id().toString(), all.get(1).getString("senderId"));

        // Exactly a full page: no more.
        var exact = parse(get("/messages/history?with=" + bob.id() + "&limit=5", alice.token()));
        assertFalse(exact.getBoolean("hasMore"));
        assertEquals(5, exact.getJsonArray("messages").size());
        // before=0 is the newest page.
        var zero = parse(get("/messages/history?with=" + bob.id() + "&before=0&limit=1", alice.token()));
        assertEquals(newestFirst.getFirst(), zero.getJsonArray("messages").getJsonObject(0).getString("id"));
        assertTrue(zero.getBoolean("hasMore"));

        // Legacy form: the caller may be either user.
        for (String query : List.of("user1=" + alice.id() + "&user2=" + bob.id(), "user1=" + bob.id() + "&user2=" + alice.id())) {
            var legacy = contract.assertExchange(get("/messages/history?" + query + "&limit=3", alice.token()), null);
            assertEquals(200, legacy.statusCode(), legacy.body());
            assertEquals(newestFirst.subList(0, 3), parse(legacy).getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                    .map(m -> m.getString("id")).toList());
            assertTrue(parse(legacy).getBoolean("hasMore"));
        }
        // Someone else's conversation.
        var forbidden = contract.assertExchange(
                get("/messages/history?user1=" + alice.id() + "&user2=" + bob.id(), carol.token()), null);
        assertProblem(forbidden, 403, "permission-denied");
        assertFalse(forbidden.body().contains("message 0"), "nothing of the conversation leaks");
        var carolsView = contract.assertExchange(get("/messages/history?with=" + alice.id(), carol.token()), null);
        assertEquals(200, carolsView.statusCode());
        assertEquals(0, parse(carolsView).getJsonArray("messages").size(), "carol has no conversation with alice");

        // Neither form, both forms, or half the legacy form.
        assertProblem(contract.assertExchange(get("/messages/history", alice.token()), null), 400, "invalid-argument");
        assertProblem(get("/messages/history?user1=" + alice.id(), alice.token()), 400, "invalid-argument");
        assertProblem(get("/messages/history?user2=" + bob.id(), alice.token()), 400, "invalid-argument");
        assertProblem(get("/messages/history?with=" + bob.id() + "&user1=" + alice.id() + "&user2=" + bob.id(), alice.token()),
                400, "invalid-argument");
        // An unknown peer.
        assertProblem(contract.assertExchange(get("/messages/history?with=" + UUID.randomUUID(), alice.token()), null),
                404, "not-found");
    }

    // ---------------------------------------------------------------- conversations

    @Test
    void conversationsAreOrderedByActivityWithUnreadCountsFeedSeqAndPaging() throws Exception {
        TestUser alice = TestUser.create(channel, "conv");
        TestUser bob = TestUser.create(channel, "conv");
        TestUser carol = TestUser.create(channel, "conv");
        TestUser dave = TestUser.create(channel, "conv");
        send(bob, alice, "b1");
        send(bob, alice, "b2");
        send(carol, alice, "c1");
        send(dave, alice, "d1");
        send(dave, alice, "d2");
        send(dave, alice, "d3");
        String lastToCarol = send(alice, carol, "to carol");

        var response = contract.assertExchange(get("/conversations", alice.token()), null);
        assertEquals(200, response.statusCode(), response.body());
        JsonObject body = parse(response);
        assertEquals("7", body.getString("feedSeq"), "alice's feed holds the 6 messages she received and the 1 she sent");
        assertEquals("", body.getString("nextPageToken"));
        List<JsonObject> conversations = body.getJsonArray("conversations").getValuesAs(JsonObject.class);
        assertEquals(List.of(carol.id().toString(), dave.id().toString(), bob.id().toString()),
                conversations.stream().map(c -> c.getJsonObject("peer").getString("id")).toList(), "most recent activity first");
        // Replying marks the conversation read up to the reply.
        assertEquals(List.of("0", "3", "2"), conversations.stream().map(c -> c.getString("unreadCount")).toList());
        assertEquals(List.of(lastToCarol, "0", "0"), conversations.stream().map(c -> c.getString("lastReadMessageId")).toList());
        assertEquals(lastToCarol, conversations.getFirst().getJsonObject("lastMessage").getString("id"));
        assertEquals("to carol", conversations.getFirst().getJsonObject("lastMessage").getString("text"));
        assertEquals("d3", conversations.get(1).getJsonObject("lastMessage").getString("text"));
        assertEquals(dave.username(), conversations.get(1).getJsonObject("peer").getString("username"));

        // Paging.
        var page1 = contract.assertExchange(get("/conversations?limit=2", alice.token()), null);
        JsonObject first = parse(page1);
        assertEquals(2, first.getJsonArray("conversations").size());
        String token = first.getString("nextPageToken");
        assertFalse(token.isEmpty());
        var page2 = contract.assertExchange(get("/conversations?limit=2&pageToken=" + enc(token), alice.token()), null);
        JsonObject second = parse(page2);
        assertEquals(List.of(bob.id().toString()), second.getJsonArray("conversations").getValuesAs(JsonObject.class).stream()
                .map(c -> c.getJsonObject("peer").getString("id")).toList());
        assertEquals("", second.getString("nextPageToken"));

        // New activity moves a conversation to the top; the sender's own list counts nothing unread.
        send(bob, alice, "b3");
        JsonObject after = parse(contract.assertExchange(get("/conversations", alice.token()), null));
        JsonObject top = after.getJsonArray("conversations").getJsonObject(0);
        assertEquals(bob.id().toString(), top.getJsonObject("peer").getString("id"));
        assertEquals("3", top.getString("unreadCount"));
        assertEquals("8", after.getString("feedSeq"));
        JsonObject bobs = parse(contract.assertExchange(get("/conversations", bob.token()), null));
        assertEquals("0", bobs.getJsonArray("conversations").getJsonObject(0).getString("unreadCount"));
        assertEquals("3", bobs.getString("feedSeq"));

        // A fresh user has no conversations and feedSeq 0.
        TestUser eve = TestUser.create(channel, "conv");
        JsonObject empty = parse(contract.assertExchange(get("/conversations", eve.token()), null));
        assertEquals(0, empty.getJsonArray("conversations").size());
        assertEquals("0", empty.getString("feedSeq"));

        assertProblem(get("/conversations?pageToken=" + enc("-5"), alice.token()), 400, "invalid-argument");
        assertProblem(get("/conversations?pageToken=abc", alice.token()), 400, "invalid-argument");
    }

    @Test
    void aConversationCanBeNamedByItsIdForSendingHistoryAndMarkingRead() throws Exception {
        TestUser alice = TestUser.create(channel, "restid");
        TestUser bob = TestUser.create(channel, "restid");
        TestUser carol = TestUser.create(channel, "restid");
        send(alice, bob, "hello");
        String conversation = parse(contract.assertExchange(get("/conversations", bob.token()), null))
                .getJsonArray("conversations").getJsonObject(0).getString("id");

        String byId = json("conversationId", conversation, "text", "hi, by id");
        var sent = contract.assertExchange(post("/messages/send", bob.token(), JSON, byId), byId);
        assertEquals(201, sent.statusCode(), sent.body());
        assertEquals(alice.id().toString(), parse(sent).getJsonObject("message").getString("recipientId"));
        var history = contract.assertExchange(get("/messages/history?conversation=" + conversation, alice.token()), null);
        assertEquals(200, history.statusCode(), history.body());
        assertEquals(List.of("hi, by id", "hello"), parse(history).getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                .map(message -> message.getString("text")).toList());
        var read = contract.assertExchange(post("/conversations/" + conversation + "/read", alice.token(), null, null), null);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals("0", unreadWith(alice, bob));

        String both = json("recipientId", alice.id().toString(), "conversationId", conversation, "text", "both");
        assertProblem(contract.assertExchange(post("/messages/send", bob.token(), JSON, both), both), 400, "invalid-argument");
        assertProblem(get("/messages/history?conversation=" + conversation + "&with=" + alice.id(), bob.token()), 400,
                "invalid-argument");
        // Someone else's conversation and one that does not exist look the same.
        for (String other : List.of(conversation, UUID.randomUUID().toString())) {
            assertProblem(contract.assertExchange(get("/messages/history?conversation=" + other, carol.token()), null),
                    404, "not-found");
            String intrusion = json("conversationId", other, "text", "let me in");
            assertProblem(post("/messages/send", carol.token(), JSON, intrusion), 404, "not-found");
        }
        assertEquals(2, parse(get("/messages/history?with=" + bob.id(), alice.token())).getJsonArray("messages").size(),
                "the refused sends stored nothing");
    }

    @Test
    void aGroupIsCreatedReadAndWrittenOverRest() throws Exception {
        TestUser ann = TestUser.create(channel, "restgrp");
        TestUser bob = TestUser.create(channel, "restgrp");
        TestUser eve = TestUser.create(channel, "restgrp");
        String create = Json.createObjectBuilder().add("title", "Weekend")
                .add("memberIds", Json.createArrayBuilder().add(bob.id().toString())).build().toString();
        var created = contract.assertExchange(post("/conversations", ann.token(), JSON, create), create);
        assertEquals(201, created.statusCode(), created.body());
        JsonObject group = parse(created).getJsonObject("conversation");
        String id = group.getString("id");
        assertEquals("CONVERSATION_KIND_GROUP", group.getString("kind"));
        assertEquals("CREATED", group.getJsonObject("lastMessage").getJsonObject("membershipChange").getString("kind"));
        assertEquals("", group.getJsonObject("lastMessage").getString("recipientId"));

        String message = json("conversationId", id, "text", "Hike on Saturday?");
        assertEquals(201, contract.assertExchange(post("/messages/send", bob.token(), JSON, message), message).statusCode());
        var history = contract.assertExchange(get("/messages/history?conversation=" + id, ann.token()), null);
        assertEquals(List.of("Hike on Saturday?", ""), parse(history).getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                .map(entry -> entry.getString("text")).toList());
        var one = contract.assertExchange(get("/conversations/" + id, bob.token()), null);
        assertEquals(200, one.statusCode(), one.body());
        assertEquals("Weekend", parse(one).getJsonObject("conversation").getString("title"));
        var members = contract.assertExchange(get("/conversations/" + id + "/members?limit=1", bob.token()), null);
        assertEquals(200, members.statusCode(), members.body());
        assertEquals(1, parse(members).getJsonArray("members").size());
        assertFalse(parse(members).getString("nextPageToken").isEmpty());
        var read = contract.assertExchange(post("/conversations/" + id + "/read", ann.token(), null, null), null);
        assertEquals("0", parse(read).getString("unreadCount"));

        assertProblem(contract.assertExchange(get("/conversations/" + id, eve.token()), null), 404, "not-found");
        assertProblem(contract.assertExchange(get("/conversations/" + id + "/members", eve.token()), null), 404, "not-found");
        String untitled = json("title", "   ");
        assertProblem(contract.assertExchange(post("/conversations", ann.token(), JSON, untitled), untitled), 400, "invalid-argument");

        String addEve = Json.createObjectBuilder().add("userIds", Json.createArrayBuilder().add(eve.id().toString())).build().toString();
        var added = contract.assertExchange(post("/conversations/" + id + "/members", bob.token(), JSON, addEve), addEve);
        assertEquals(200, added.statusCode(), added.body());
        assertEquals(3, parse(added).getJsonObject("conversation").getInt("memberCount"));
        String rename = json("title", "Long weekend");
        assertProblem(contract.assertExchange(call("PATCH", "/conversations/" + id, bob.token(), rename), rename), 403,
                "permission-denied");
        var renamed = contract.assertExchange(call("PATCH", "/conversations/" + id, ann.token(), rename), rename);
        assertEquals("Long weekend", parse(renamed).getJsonObject("conversation").getString("title"));
        var removed = contract.assertExchange(call("DELETE", "/conversations/" + id + "/members/" + eve.id(), ann.token(), null), null);
        assertEquals(2, parse(removed).getJsonObject("conversation").getInt("memberCount"));
        var left = contract.assertExchange(post("/conversations/" + id + "/leave", bob.token(), null, null), null);
        assertEquals(200, left.statusCode(), left.body());
        assertEquals("LEFT", parse(get("/messages/history?conversation=" + id, ann.token())).getJsonArray("messages")
                .getJsonObject(0).getJsonObject("membershipChange").getString("kind"));
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder builder = request(path, token);
        if (body != null) {
            builder.header("Content-Type", JSON);
        }
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void markReadLowersUnreadCountWithAndWithoutBody() throws Exception {
        TestUser alice = TestUser.create(channel, "read");
        TestUser bob = TestUser.create(channel, "read");
        String m1 = send(bob, alice, "one");
        String m2 = send(bob, alice, "two");
        String m3 = send(bob, alice, "three");
        String path = "/conversations/" + bob.id() + "/read";

        String upToFirst = "{\"upToMessageId\":\"" + m1 + "\"}";
        var partial = contract.assertExchange(post(path, alice.token(), JSON, upToFirst), upToFirst);
        assertEquals(200, partial.statusCode(), partial.body());
        assertEquals("2", parse(partial).getString("unreadCount"));
        assertEquals(m1, parse(partial).getString("lastReadMessageId"));

        String upToSecondAsNumber = "{\"upToMessageId\":" + m2 + "}";
        var numeric = contract.assertExchange(post(path, alice.token(), JSON, upToSecondAsNumber), upToSecondAsNumber);
        assertEquals(200, numeric.statusCode(), numeric.body());
        assertEquals("1", parse(numeric).getString("unreadCount"));
        assertEquals(m2, parse(numeric).getString("lastReadMessageId"));
        assertEquals("1", unreadWith(alice, bob));

        var noBody = contract.assertExchange(post(path, alice.token(), null, null), null);
        assertEquals(200, noBody.statusCode(), noBody.body());
        assertEquals("0", parse(noBody).getString("unreadCount"));
        assertEquals(m3, parse(noBody).getString("lastReadMessageId"));
        assertEquals("0", unreadWith(alice, bob));

        // Another message, then {} marks the whole conversation.
        String m4 = send(bob, alice, "four");
        assertEquals("1", unreadWith(alice, bob));
        var emptyObject = contract.assertExchange(post(path, alice.token(), JSON, "{}"), "{}");
        assertEquals(200, emptyObject.statusCode(), emptyObject.body());
        assertEquals("0", parse(emptyObject).getString("unreadCount"));
        assertEquals(m4, parse(emptyObject).getString("lastReadMessageId"));
        assertEquals("0", unreadWith(alice, bob));

        // No conversation with that user / no such user; hostile bodies change nothing.
        TestUser carol = TestUser.create(channel, "read");
        assertProblem(contract.assertExchange(post("/conversations/" + carol.id() + "/read", alice.token(), null, null), null),
                404, "not-found");
        assertProblem(post("/conversations/" + UUID.randomUUID() + "/read", alice.token(), null, null), 404, "not-found");
        assertProblem(post("/conversations/not-a-uuid/read", alice.token(), null, null), 400, "invalid-argument");
        send(bob, alice, "five");
        for (String hostile : List.of("{\"upToMessageId\":\"abc\"}", "{\"upToMessageId\":-1}", "{\"upToMessageId\":true}",
                "{\"upTo\":1}", "[]", "{", "{\"upToMessageId\":\"" + m4 + "\",\"upToMessageId\":\"" + m4 + "\"")) {
            assertProblem(post(path, alice.token(), JSON, hostile), 400, "invalid-argument");
        }
        assertProblem(post(path, alice.token(), "text/plain", "{}"), 415, "unsupported-media-type");
        assertEquals("1", unreadWith(alice, bob), "rejected mark-read requests changed nothing");
    }

    // ---------------------------------------------------------------- notifications

    @Test
    void notificationsReturnFeedEntriesAfterSeq() throws Exception {
        TestUser alice = TestUser.create(channel, "feed");
        TestUser bob = TestUser.create(channel, "feed");
        List<String> ids = List.of(send(bob, alice, "f1"), send(bob, alice, "f2"), send(alice, bob, "f3"), send(bob, alice, "f4"));

        var all = contract.assertExchange(get("/notifications?after=0", alice.token()), null);
        assertEquals(200, all.statusCode(), all.body());
        JsonObject page = parse(all);
        List<JsonObject> entries = page.getJsonArray("messages").getValuesAs(JsonObject.class);
        assertEquals(List.of("1", "2", "3", "4"), entries.stream().map(e -> e.getString("seq")).toList());
        assertEquals(ids, entries.stream().map(e -> e.getJsonObject("message").getString("id")).toList());
        assertEquals("f3", entries.get(2).getJsonObject("message").getString("text"));
        assertEquals("4", page.getString("lastSeq"));

        var middle = parse(contract.assertExchange(get("/notifications?after=1&limit=2", alice.token()), null));
        assertEquals(List.of("2", "3"), middle.getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                .map(e -> e.getString("seq")).toList());
        assertEquals("3", middle.getString("lastSeq"));

        var defaults = parse(contract.assertExchange(get("/notifications", alice.token()), null));
        assertEquals(4, defaults.getJsonArray("messages").size(), "after defaults to 0");

        long start = System.nanoTime();
        var none = parse(contract.assertExchange(get("/notifications?after=4&wait=0", alice.token()), null));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1500, "wait=0 returns at once");
        assertEquals(0, none.getJsonArray("messages").size());
        assertEquals("4", none.getString("lastSeq"));

        // Bob's feed is his own numbering.
        var bobs = parse(contract.assertExchange(get("/notifications?after=0", bob.token()), null));
        assertEquals(List.of("1", "2", "3", "4"), bobs.getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                .map(e -> e.getString("seq")).toList());
    }

    @Test
    void longPollWithNothingNewReturnsEmptyAfterTheWait() throws Exception {
        TestUser alice = TestUser.create(channel, "poll");
        TestUser bob = TestUser.create(channel, "poll");
        send(bob, alice, "already there");
        long start = System.nanoTime();
        var response = contract.assertExchange(get("/notifications?after=1&wait=2", alice.token()), null);
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals(200, response.statusCode(), response.body());
        JsonObject page = parse(response);
        assertEquals(0, page.getJsonArray("messages").size());
        assertEquals("1", page.getString("lastSeq"));
        assertTrue(elapsedMillis >= 1900 && elapsedMillis < 6000, "returned after about 2 s, took " + elapsedMillis + " ms");

        // With something already there, a long poll returns at once.
        start = System.nanoTime();
        var immediate = parse(get("/notifications?after=0&wait=10", alice.token()));
        assertEquals(1, immediate.getJsonArray("messages").size());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5000);
    }

    @Test
    void longPollReturnsAMessageSentDuringTheWait() throws Exception {
        TestUser alice = TestUser.create(channel, "wake");
        TestUser bob = TestUser.create(channel, "wake");
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<String>> poll = http.sendAsync(
                request("/notifications?after=0&wait=20", alice.token()).GET().timeout(Duration.ofSeconds(40)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        // Give the poll time to reach its wait; it must not have returned yet.
        Thread.sleep(700);
        assertFalse(poll.isDone(), "the poll is waiting");
        String[] sent = new String[1];
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                sent[0] = send(bob, alice, "during the wait");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        sender.join(Duration.ofSeconds(20));
        assertFalse(sender.isAlive());
        assertTrue(sent[0] != null, "the message was sent");

        var response = contract.assertExchange(poll.get(30, TimeUnit.SECONDS), null);
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals(200, response.statusCode(), response.body());
        JsonObject page = parse(response);
        List<JsonObject> entries = page.getJsonArray("messages").getValuesAs(JsonObject.class);
        assertEquals(1, entries.size(), response.body());
        assertEquals("1", entries.getFirst().getString("seq"));
        assertEquals(sent[0], entries.getFirst().getJsonObject("message").getString("id"));
        assertEquals("during the wait", entries.getFirst().getJsonObject("message").getString("text"));
        assertEquals("1", page.getString("lastSeq"));
        assertTrue(elapsedMillis < 15_000, "woke up on the message rather than at the 20 s timeout: " + elapsedMillis + " ms");
    }

    @Test
    void healthIsUpAndConformsToTheContract() throws Exception {
        var health = contract.assertExchange(get("/observe/health", null), null);
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("UP", parse(health).getString("status"));
    }

    @Test
    void contractValidatorDetectsMismatches() throws Exception {
        // The contract checks above must be able to fail: tampered copies of a real response do not conform.
        TestUser alice = TestUser.create(channel, "contract");
        var me = get("/users/me", alice.token());
        assertEquals(200, me.statusCode());
        String body = me.body();
        assertFalse(contract.validateResponse("GET", "/users/me", 200, JSON, body).hasErrors(), "the real response conforms");
        JsonObject user = parse(me).getJsonObject("user");
        String withPassword = Json.createObjectBuilder().add("user", Json.createObjectBuilder(user).add("passwordHash", "x")).build().toString();
        String badId = Json.createObjectBuilder().add("user", Json.createObjectBuilder(user).add("id", "42")).build().toString();
        String missingField = Json.createObjectBuilder().add("user", Json.createObjectBuilder(user).remove("createdAt")).build().toString();
        assertTrue(contract.validateResponse("GET", "/users/me", 200, JSON, withPassword).hasErrors(), "extra property");
        assertTrue(contract.validateResponse("GET", "/users/me", 200, JSON, badId).hasErrors(), "id not a UUID");
        assertTrue(contract.validateResponse("GET", "/users/me", 200, JSON, missingField).hasErrors(), "missing required field");
        assertTrue(contract.validateResponse("GET", "/users/me", 418, JSON, body).hasErrors(), "undocumented status");
        assertTrue(contract.validateResponse("GET", "/users/me", 401, JSON, "{\"error\":\"no\"}").hasErrors(), "not a Problem");
        assertTrue(contract.validateResponse("GET", "/users/me", 200, "text/plain", body).hasErrors(), "wrong media type");
        String sent = "{\"message\":{\"id\":7,\"senderId\":\"" + alice.id() + "\",\"recipientId\":\"" + alice.id()
                + "\",\"text\":\"x\",\"sentAt\":\"2026-11-24T12:00:00Z\",\"clientMessageId\":\"\",\"conversationId\":\""
                + UUID.randomUUID() + "\"},\"duplicate\":false}";
        assertTrue(contract.validateResponse("POST", "/messages/send", 201, JSON, sent).hasErrors(), "int64 as a JSON number");
        assertFalse(contract.validateResponse("POST", "/messages/send", 201, JSON, sent.replace("\"id\":7", "\"id\":\"7\"")).hasErrors());
    }

    // ---------------------------------------------------------------- hostile input: authentication

    @Test
    void everyProtectedEndpointRejectsMissingAndMalformedTokens() throws Exception {
        TestUser bob = TestUser.create(channel, "noauth");
        String sendBody = json("recipientId", bob.id().toString(), "text", "anonymous");
        List<String[]> endpoints = List.of(
                new String[] {"POST", "/auth/logout", null},
                new String[] {"GET", "/users/me", null},
                new String[] {"GET", "/users/" + bob.id(), null},
                new String[] {"GET", "/users?q=" + bob.username(), null},
                new String[] {"POST", "/messages/send", sendBody},
                new String[] {"GET", "/messages/history?with=" + bob.id(), null},
                new String[] {"GET", "/conversations", null},
                new String[] {"POST", "/conversations/" + bob.id() + "/read", null},
                new String[] {"POST", "/conversations", json("title", "anonymous")},
                new String[] {"GET", "/conversations/" + bob.id(), null},
                new String[] {"GET", "/conversations/" + bob.id() + "/members", null},
                new String[] {"POST", "/conversations/" + bob.id() + "/members", "{\"userIds\":[\"" + bob.id() + "\"]}"},
                new String[] {"POST", "/conversations/" + bob.id() + "/leave", null},
                new String[] {"GET", "/notifications?after=0&wait=5", null});
        List<String> badAuthorizations = new ArrayList<>();
        badAuthorizations.add(null);
        badAuthorizations.addAll(List.of("", "Bearer", "Bearer ", "Bearer not-a-real-token", "Basic dXNlcjpwYXNz",
                "bearer" + bob.token(), "Bearer " + bob.token() + "x", "Bearer " + bob.token() + " extra",
                "Bearer " + "A".repeat(4000), "Bearer ' OR '1'='1", "Token " + bob.token()));
        for (String[] endpoint : endpoints) {
            for (String authorization : badAuthorizations) {
                HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(backend.baseUrl() + endpoint[1])).timeout(CALL_TIMEOUT);
                if (authorization != null) {
                    builder.header("Authorization", authorization);
                }
                if (endpoint[2] != null) {
                    builder.header("Content-Type", JSON);
                }
                builder.method(endpoint[0], endpoint[2] == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(endpoint[2]));
                long start = System.nanoTime();
                var response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                String what = endpoint[0] + " " + endpoint[1] + " with Authorization " + abbreviate(authorization);
                assertProblem(response, 401, "unauthenticated", what);
                assertTrue(response.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"), what);
                assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 3000, "rejected before any long poll: " + what);
            }
        }
        assertEquals(0, countMessagesTo(bob.id()), "no anonymous message was stored");
        // The real token still works (the near-misses above did not lock anything).
        assertEquals(200, get("/users/me", bob.token()).statusCode());
    }

    // ---------------------------------------------------------------- hostile input: registration

    @Test
    void registrationRejectsHostileBodiesWithoutCreatingUsers() throws Exception {
        record Case(String name, String username, String contentType, byte[] body, int status, String type) {
        }
        List<Case> cases = new ArrayList<>();
        String password = "good-password-1";
        String u;
        cases.add(new Case("no body", null, null, null, 400, "invalid-argument"));
        cases.add(new Case("empty JSON body", null, JSON, new byte[0], 400, "invalid-argument"));
        cases.add(new Case("blank JSON body", null, JSON, bytes("  \n "), 400, "invalid-argument"));
        cases.add(new Case("{}", null, JSON, bytes("{}"), 400, "invalid-argument"));
        cases.add(new Case("null", null, JSON, bytes("null"), 400, "invalid-argument"));
        u = uniqueName("mal");
        cases.add(new Case("malformed JSON", u, JSON, bytes("{\"username\":\"" + u + "\",\"password\":\"" + password + "\""), 400, "invalid-argument"));
        u = uniqueName("trail");
        cases.add(new Case("trailing garbage", u, JSON, bytes(json("username", u, "password", password) + "}{"), 400, "invalid-argument"));
        u = uniqueName("arr");
        cases.add(new Case("JSON array", u, JSON, bytes("[" + json("username", u, "password", password) + "]"), 400, "invalid-argument"));
        cases.add(new Case("JSON string", null, JSON, bytes("\"hello\""), 400, "invalid-argument"));
        u = uniqueName("unk");
        cases.add(new Case("unknown field", u, JSON, bytes("{\"username\":\"" + u + "\",\"password\":\"" + password + "\",\"isAdmin\":true}"),
                400, "invalid-argument"));
        u = Long.toString(100_000_000_000L + (System.nanoTime() % 100_000_000_000L + COUNTER.incrementAndGet()));
        cases.add(new Case("number for username", u, JSON, bytes("{\"username\":" + u + ",\"password\":\"" + password + "\"}"),
                400, "invalid-argument"));
        cases.add(new Case("boolean for username", "true", JSON, bytes("{\"username\":true,\"password\":\"" + password + "\"}"),
                400, "invalid-argument"));
        cases.add(new Case("object for username", null, JSON, bytes("{\"username\":{\"a\":1},\"password\":\"" + password + "\"}"),
                400, "invalid-argument"));
        u = uniqueName("nump");
        cases.add(new Case("number for password", u, JSON, bytes("{\"username\":\"" + u + "\",\"password\":123456789012}"),
                400, "invalid-argument"));
        u = uniqueName("dup");
        cases.add(new Case("duplicate key", u, JSON,
                bytes("{\"username\":\"" + u + "\",\"password\":\"x\",\"password\":\"" + password + "\"}"), 400, "invalid-argument"));
        u = uniqueName("short");
        cases.add(new Case("password too short", u, JSON, bytes(json("username", u, "password", "1234567")), 400, "invalid-argument"));
        u = uniqueName("long");
        cases.add(new Case("password too long", u, JSON, bytes(json("username", u, "password", "p".repeat(257))), 400, "invalid-argument"));
        cases.add(new Case("username too short", "ab", JSON, bytes(json("username", "ab", "password", password)), 400, "invalid-argument"));
        u = uniqueName("toolong") + "x".repeat(32);
        cases.add(new Case("username too long", u, JSON, bytes(json("username", u, "password", password)), 400, "invalid-argument"));
        String sql = "'; DROP TABLE users; --";
        cases.add(new Case("SQL metacharacters as username", sql, JSON, bytes(json("username", sql, "password", password)), 400, "invalid-argument"));
        cases.add(new Case("unicode username", "ünïcödé", JSON, bytes(json("username", "ünïcödé", "password", password)), 400, "invalid-argument"));
        u = uniqueName("ctl");
        cases.add(new Case("display name with BEL", u, JSON,
                bytes("{\"username\":\"" + u + "\",\"displayName\":\"Bad\\u0007Name\",\"password\":\"" + password + "\"}"), 400, "invalid-argument"));
        u = uniqueName("esc");
        cases.add(new Case("display name with ANSI escape", u, JSON,
                bytes("{\"username\":\"" + u + "\",\"displayName\":\"\\u001b[31mred\",\"password\":\"" + password + "\"}"), 400, "invalid-argument"));
        u = uniqueName("nl");
        cases.add(new Case("display name with newline inside", u, JSON,
                bytes("{\"username\":\"" + u + "\",\"displayName\":\"two\\nlines\",\"password\":\"" + password + "\"}"), 400, "invalid-argument"));
        u = uniqueName("nul");
        cases.add(new Case("display name with NUL", u, JSON,
                bytes("{\"username\":\"" + u + "\",\"displayName\":\"a\\u0000b\",\"password\":\"" + password + "\"}"), 400, "invalid-argument"));
        u = uniqueName("sur");
        cases.add(new Case("password with unpaired surrogate", u, JSON,
                bytes("{\"username\":\"" + u + "\",\"password\":\"abcdefgh\\ud800\"}"), 400, "invalid-argument"));
        u = uniqueName("wide");
        cases.add(new Case("display name too long", u, JSON, bytes(json("username", u, "displayName", "d".repeat(65), "password", password)),
                400, "invalid-argument"));
        u = uniqueName("utf");
        cases.add(new Case("invalid UTF-8", u, JSON, concat(bytes("{\"username\":\"" + u + "\",\"displayName\":\"x"),
                new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}, bytes("\",\"password\":\"" + password + "\"}")), 400, "invalid-argument"));
        u = uniqueName("txt");
        cases.add(new Case("text/plain", u, "text/plain", bytes(json("username", u, "password", password)), 415, "unsupported-media-type"));
        u = uniqueName("noct");
        cases.add(new Case("no Content-Type", u, null, bytes(json("username", u, "password", password)), 415, "unsupported-media-type"));
        u = uniqueName("form");
        cases.add(new Case("form encoded", u, "application/x-www-form-urlencoded",
                bytes("username=" + u + "&password=" + password), 415, "unsupported-media-type"));
        u = uniqueName("big");
        cases.add(new Case("oversized body", u, JSON,
                bytes(json("username", u, "displayName", "x".repeat(70_000), "password", password)), 413, "payload-too-large"));
        u = uniqueName("deep");
        cases.add(new Case("deeply nested JSON", u, JSON,
                bytes("{\"username\":\"" + u + "\",\"password\":\"" + password + "\",\"displayName\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}"),
                400, "invalid-argument"));

        for (Case c : cases) {
            if (c.status() == 413) {
                assertOversizedBodyRejected("/users/register", null, c.body(), c.name());
                assertEquals(0, countUsers(c.username()), c.name() + ": the rejected registration created no user");
                continue;
            }
            HttpRequest.Builder builder = request("/users/register", null).timeout(CALL_TIMEOUT);
            if (c.contentType() != null) {
                builder.header("Content-Type", c.contentType());
            }
            builder.POST(c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
            var response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertProblem(response, c.status(), c.type(), c.name());
            if (c.username() != null) {
                assertEquals(0, countUsers(c.username()), c.name() + ": the rejected registration created no user");
            }
        }
        assertTrue(tableExists("users"), "the users table survived");
    }

    @Test
    void usernamesAreUniqueRegardlessOfCase() throws Exception {
        String username = uniqueName("Case");
        String first = json("username", username, "password", "first-password");
        assertEquals(201, contract.assertExchange(post("/users/register", null, JSON, first), first).statusCode());
        for (String variant : List.of(username, username.toLowerCase(Locale.ROOT), username.toUpperCase(Locale.ROOT))) {
            String body = json("username", variant, "password", "second-password");
            var response = contract.assertExchange(post("/users/register", null, JSON, body), body);
            assertProblem(response, 409, "already-exists", variant);
        }
        assertEquals(1, countUsers(username));
        // The original account keeps its password.
        var login = post("/auth/login", null, JSON, json("username", username, "password", "first-password"));
        assertEquals(200, login.statusCode(), login.body());
        assertProblem(post("/auth/login", null, JSON, json("username", username, "password", "second-password")), 401, "unauthenticated");
    }

    @Test
    void registrationAcceptsBoundaryValues() throws Exception {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var random = java.util.concurrent.ThreadLocalRandom.current();
        String shortest = "z" + alphabet.charAt(random.nextInt(36)) + alphabet.charAt(random.nextInt(36));
        String longest = (uniqueName("Max.name-") + "_".repeat(32)).substring(0, 32);
        for (String[] fields : List.of(
                new String[] {longest, "d".repeat(64), "p".repeat(256)},
                new String[] {shortest, "é", "12345678"})) {
            String body = json("username", fields[0], "displayName", fields[1], "password", fields[2]);
            var response = contract.assertExchange(post("/users/register", null, JSON, body), body);
            assertEquals(201, response.statusCode(), fields[0] + ": " + response.body());
            assertEquals(fields[1], parse(response).getJsonObject("user").getString("displayName"));
            var login = post("/auth/login", null, JSON, json("username", fields[0], "password", fields[2]));
            assertEquals(200, login.statusCode(), login.body());
        }
        // Without a display name it defaults to the username.
        String name = uniqueName("nodn");
        String body = json("username", name, "password", "12345678");
        var response = contract.assertExchange(post("/users/register", null, JSON, body), body);
        assertEquals(201, response.statusCode(), response.body());
        assertEquals(name, parse(response).getJsonObject("user").getString("displayName"));
    }

    // ---------------------------------------------------------------- hostile input: messages

    @Test
    void sendRejectsHostileBodiesWithoutStoringAnything() throws Exception {
        TestUser alice = TestUser.create(channel, "hostile");
        TestUser bob = TestUser.create(channel, "hostile");
        String recipient = bob.id().toString();
        String prefix = "{\"recipientId\":\"" + recipient + "\",";
        record Case(String name, String contentType, byte[] body, int status, String type) {
        }
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("no body", null, null, 400, "invalid-argument"));
        cases.add(new Case("empty JSON body", JSON, new byte[0], 400, "invalid-argument"));
        cases.add(new Case("{}", JSON, bytes("{}"), 400, "invalid-argument"));
        cases.add(new Case("malformed JSON", JSON, bytes(prefix + "\"text\":\"hi\""), 400, "invalid-argument"));
        cases.add(new Case("JSON array", JSON, bytes("[" + json("recipientId", recipient, "text", "hi") + "]"), 400, "invalid-argument"));
        cases.add(new Case("unknown field", JSON, bytes(prefix + "\"text\":\"hi\",\"senderId\":\"" + alice.id() + "\"}"), 400, "invalid-argument"));
        cases.add(new Case("number for text", JSON, bytes(prefix + "\"text\":42}"), 400, "invalid-argument"));
        cases.add(new Case("array for text", JSON, bytes(prefix + "\"text\":[\"hi\"]}"), 400, "invalid-argument"));
        cases.add(new Case("null text", JSON, bytes(prefix + "\"text\":null}"), 400, "invalid-argument"));
        cases.add(new Case("number for clientMessageId", JSON, bytes(prefix + "\"text\":\"hi\",\"clientMessageId\":12345}"), 400, "invalid-argument"));
        cases.add(new Case("duplicate text key", JSON, bytes(prefix + "\"text\":\"harmless\",\"text\":\"evil\"}"), 400, "invalid-argument"));
        cases.add(new Case("missing recipient", JSON, bytes(json("text", "hi")), 400, "invalid-argument"));
        cases.add(new Case("non-UUID recipient", JSON, bytes(json("recipientId", "bob", "text", "hi")), 400, "invalid-argument"));
        cases.add(new Case("SQL in recipient", JSON, bytes(json("recipientId", "' OR '1'='1", "text", "hi")), 400, "invalid-argument"));
        cases.add(new Case("UUID without dashes", JSON, bytes(json("recipientId", recipient.replace("-", ""), "text", "hi")), 400, "invalid-argument"));
        cases.add(new Case("empty text", JSON, bytes(prefix + "\"text\":\"\"}"), 400, "invalid-argument"));
        cases.add(new Case("whitespace-only text", JSON, bytes(prefix + "\"text\":\" \\t\\n\\r \\u00a0\\u2003 \"}"), 400, "invalid-argument"));
        cases.add(new Case("text of 4097 characters", JSON, bytes(json("recipientId", recipient, "text", "x".repeat(4097))), 400, "invalid-argument"));
        cases.add(new Case("text of 4097 emoji", JSON, bytes(json("recipientId", recipient, "text", "🙂".repeat(4097))), 400, "invalid-argument"));
        cases.add(new Case("NUL in text", JSON, bytes(prefix + "\"text\":\"before\\u0000after\"}"), 400, "invalid-argument"));
        cases.add(new Case("unpaired high surrogate", JSON, bytes(prefix + "\"text\":\"bad \\ud800 text\"}"), 400, "invalid-argument"));
        cases.add(new Case("unpaired low surrogate", JSON, bytes(prefix + "\"text\":\"bad \\udc00\"}"), 400, "invalid-argument"));
        cases.add(new Case("invalid UTF-8", JSON, concat(bytes(prefix + "\"text\":\"caf"), new byte[] {(byte) 0xE9}, bytes("\"}")), 400, "invalid-argument"));
        cases.add(new Case("overlong UTF-8", JSON, concat(bytes(prefix + "\"text\":\"a"), new byte[] {(byte) 0xC0, (byte) 0xAF}, bytes("\"}")), 400, "invalid-argument"));
        cases.add(new Case("CESU surrogate bytes", JSON, concat(bytes(prefix + "\"text\":\"a"), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, bytes("\"}")), 400, "invalid-argument"));
        cases.add(new Case("bad clientMessageId", JSON, bytes(json("recipientId", recipient, "text", "hi", "clientMessageId", "a b;DROP")), 400, "invalid-argument"));
        cases.add(new Case("clientMessageId of 65", JSON, bytes(json("recipientId", recipient, "text", "hi", "clientMessageId", "c".repeat(65))), 400, "invalid-argument"));
        cases.add(new Case("text/plain", "text/plain", bytes(json("recipientId", recipient, "text", "hi")), 415, "unsupported-media-type"));
        cases.add(new Case("no Content-Type", null, bytes(json("recipientId", recipient, "text", "hi")), 415, "unsupported-media-type"));
        cases.add(new Case("XML", "application/xml", bytes("<send><text>hi</text></send>"), 415, "unsupported-media-type"));
        cases.add(new Case("oversized body", JSON, bytes(json("recipientId", recipient, "text", "y".repeat(70_000))), 413, "payload-too-large"));
        cases.add(new Case("oversized body, multi-byte", JSON, bytes(json("recipientId", recipient, "text", "€".repeat(30_000))), 413, "payload-too-large"));

        for (Case c : cases) {
            if (c.status() == 413) {
                assertOversizedBodyRejected("/messages/send", alice.token(), c.body(), c.name());
                assertEquals(0, countMessagesFrom(alice.id()), c.name() + ": the rejected send stored no message");
                continue;
            }
            HttpRequest.Builder builder = request("/messages/send", alice.token()).timeout(CALL_TIMEOUT);
            if (c.contentType() != null) {
                builder.header("Content-Type", c.contentType());
            }
            builder.POST(c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
            var response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertProblem(response, c.status(), c.type(), c.name());
            assertEquals(0, countMessagesFrom(alice.id()), c.name() + ": the rejected send stored no message");
        }
        // Nothing reached bob either.
        JsonObject feed = parse(get("/notifications?after=0", bob.token()));
        assertEquals(0, feed.getJsonArray("messages").size());
        assertEquals(0, parse(get("/conversations", bob.token())).getJsonArray("conversations").size());
        // And the sender can still send.
        send(alice, bob, "finally");
        assertEquals(1, countMessagesFrom(alice.id()));
    }

    @Test
    void unusualButValidTextIsStoredAndReturnedVerbatim() throws Exception {
        TestUser alice = TestUser.create(channel, "verbatim");
        TestUser bob = TestUser.create(channel, "verbatim");
        List<String> texts = List.of(
                "'; DROP TABLE users; --",
                "Robert'); DROP TABLE messages;-- \" \\ %s %n ${jndi:ldap://x} <script>alert(1)</script>",
                "x".repeat(4096),
                "🙂".repeat(4096),
                "  leading and trailing spaces  ",
                "tab\tnew\nline\r\nend \u200b zero-width, ünïcödé, 日本語, עברית",
                "e\u0301 combining, \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 family");
        List<String> ids = new ArrayList<>();
        for (String text : texts) {
            String body = json("recipientId", bob.id().toString(), "text", text);
            var response = contract.assertExchange(post("/messages/send", alice.token(), JSON, body), body);
            assertEquals(201, response.statusCode(), abbreviate(text) + ": " + abbreviate(response.body()));
            JsonObject message = parse(response).getJsonObject("message");
            assertEquals(text, message.getString("text"), "returned verbatim");
            ids.add(message.getString("id"));
        }
        var history = contract.assertExchange(get("/messages/history?with=" + alice.id() + "&limit=100", bob.token()), null);
        List<JsonObject> messages = parse(history).getJsonArray("messages").getValuesAs(JsonObject.class);
        assertEquals(texts.reversed(), messages.stream().map(m -> m.getString("text")).toList(), "history returns every text verbatim");
        try (Connection db = backend.jdbc();
             PreparedStatement query = db.prepareStatement("SELECT body FROM messages WHERE sender_id = ? ORDER BY id")) {
            query.setObject(1, alice.id());
            List<String> stored = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stored.add(rows.getString(1));
                }
            }
            assertEquals(texts, stored, "stored verbatim");
        }
        assertTrue(tableExists("users") && tableExists("messages"));
    }

    // ---------------------------------------------------------------- hostile input: query parameters and paths

    @Test
    void hostileQueryParametersAreBadRequests() throws Exception {
        TestUser alice = TestUser.create(channel, "query");
        TestUser bob = TestUser.create(channel, "query");
        send(bob, alice, "hello");
        String with = "/messages/history?with=" + bob.id();
        List<String> badRequests = List.of(
                // page sizes
                "/users?q=que&limit=1000000", "/users?q=que&limit=0x10", "/users?q=que&limit=abc", "/users?q=que&limit=-1",
                "/users?q=que&limit=101", "/users?q=que&limit=99999999999999999999", "/users?q=que&limit=1.5", "/users?q=que&limit=",
                with + "&limit=1000000", with + "&limit=abc", with + "&limit=-5", with + "&limit=101", with + "&limit=2147483648",
                "/conversations?limit=1000000", "/conversations?limit=abc", "/conversations?limit=-1", "/conversations?limit=101",
                "/notifications?limit=1000000", "/notifications?limit=abc", "/notifications?limit=-1", "/notifications?limit=501",
                // cursors and waits
                with + "&before=-1", with + "&before=abc", with + "&before=1e3", with + "&before=" + enc("1; DROP TABLE messages"),
                "/notifications?after=-1", "/notifications?after=abc", "/notifications?wait=-1", "/notifications?wait=31",
                "/notifications?wait=abc", "/notifications?wait=99999999999999999999",
                // ids
                "/messages/history?with=not-a-uuid", "/messages/history?with=" + enc("' OR 1=1 --"),
                "/messages/history?with=" + bob.id().toString().replace("-", ""),
                "/messages/history?user1=xyz&user2=" + alice.id(), "/messages/history?user1=" + alice.id() + "&user2=",
                // search queries
                "/users", "/users?q=", "/users?q=" + enc("'; DROP TABLE users; --"), "/users?q=" + "a".repeat(33),
                "/users?q=" + enc("a%"), "/users?q=" + enc("a_%"), "/users?q=" + enc("ünï"),
                // parameters given twice
                "/users?q=que&q=other", "/users?q=que&limit=1&limit=2", with + "&with=" + bob.id(), with + "&limit=1&limit=2",
                with + "&before=5&before=6", "/conversations?limit=1&limit=2", "/conversations?pageToken=1&pageToken=2",
                "/notifications?after=1&after=2", "/notifications?wait=0&wait=1", "/notifications?limit=1&limit=1");
        for (String path : badRequests) {
            long start = System.nanoTime();
            var response = get(path, alice.token());
            assertProblem(response, 400, "invalid-argument", path);
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 3000, "rejected at once: " + path);
        }
        // The limits themselves are fine.
        for (String path : List.of("/users?q=que&limit=100", with + "&limit=100&before=0", "/conversations?limit=100",
                "/notifications?limit=500&wait=0", "/users?q=" + enc("a_"), "/users?q=" + "a".repeat(32))) {
            var response = contract.assertExchange(get(path, alice.token()), null);
            assertEquals(200, response.statusCode(), path + ": " + response.body());
        }
    }

    @Test
    void unknownPathsAndMethodsAreProblemNotFound() throws Exception {
        TestUser alice = TestUser.create(channel, "paths");
        for (String[] call : List.of(
                new String[] {"GET", "/nope"},
                new String[] {"GET", "/users/me/extra"},
                new String[] {"GET", "/messages"},
                new String[] {"GET", "/conversations/" + alice.id()},
                new String[] {"POST", "/conversations/" + alice.id() + "/unread"},
                new String[] {"GET", "/api/v1/users/me"},
                new String[] {"GET", "/" + enc("'; DROP TABLE users; --")},
                new String[] {"DELETE", "/users/me"},
                new String[] {"PUT", "/messages/send"},
                new String[] {"GET", "/messages/send"})) {
            HttpRequest req = request(call[1], alice.token()).timeout(CALL_TIMEOUT)
                    .method(call[0], HttpRequest.BodyPublishers.noBody()).build();
            var response = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String what = call[0] + " " + call[1];
            assertEquals(404, response.statusCode(), what + ": " + response.body());
            assertProblemBody(response, 404, "not-found", what);
            contract.assertProblem(response);
        }
    }

    // ---------------------------------------------------------------- helpers

    private String send(TestUser from, TestUser to, String text) throws Exception {
        String body = json("recipientId", to.id().toString(), "text", text);
        var response = contract.assertExchange(post("/messages/send", from.token(), JSON, body), body);
        assertEquals(201, response.statusCode(), response.body());
        return parse(response).getJsonObject("message").getString("id");
    }

    private String unreadWith(TestUser owner, TestUser peer) throws Exception {
        var response = contract.assertExchange(get("/conversations?limit=100", owner.token()), null);
        return parse(response).getJsonArray("conversations").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getJsonObject("peer").getString("id").equals(peer.id().toString()))
                .map(c -> c.getString("unreadCount"))
                .findFirst().orElseThrow(() -> new AssertionError("no conversation with " + peer.username()));
    }

    /** Status, media type, problem fields, and conformance to the operation's contract. */
    private void assertProblem(HttpResponse<String> response, int status, String type) {
        assertProblem(response, status, type, response.request().method() + " " + response.request().uri().getRawPath());
    }

    private void assertProblem(HttpResponse<String> response, int status, String type, String what) {
        assertEquals(status, response.statusCode(), what + ": " + abbreviate(response.body()));
        assertProblemBody(response, status, type, what);
        contract.assertResponse(response);
    }

    private static void assertProblemBody(HttpResponse<String> response, int status, String type, String what) {
        String contentType = response.headers().firstValue("content-type").orElse("");
        assertTrue(contentType.startsWith(PROBLEM_JSON), what + ": content type " + contentType);
        JsonObject problem;
        try {
            problem = Json.createReader(new StringReader(response.body())).readObject();
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": problem body is not a JSON object: " + abbreviate(response.body()), e);
        }
        assertAll(what,
                () -> assertEquals(PROBLEM_BASE + type, problem.getString("type")),
                () -> assertFalse(problem.getString("title").isBlank()),
                () -> assertEquals(status, problem.getInt("status")),
                () -> assertFalse(problem.getString("detail").isBlank()),
                () -> assertEquals(4, problem.size(), "exactly type, title, status, detail"),
                () -> assertFalse(problem.getString("detail").toLowerCase(Locale.ROOT).contains("exception"), "no internals"),
                () -> assertFalse(problem.getString("detail").contains("SQL"), "no internals"));
    }

    /**
     * Sends a JSON body over 64 KiB over HTTP/2 (the port's gRPC+REST transport; the application
     * enforces the limit) and over HTTP/1.1 (Helidon's max-payload-size) and expects 413 problem+json
     * from both. The HTTP/1.1 request uses {@code Expect: 100-continue}: without it the server's
     * close after the early 413 can reset the connection while the client is still sending, and the
     * client then sees no response at all (a property of TCP, not of the answer).
     */
    private void assertOversizedBodyRejected(String path, String token, byte[] body, String what) throws Exception {
        assertTrue(body.length > 64 * 1024, what + ": body is over 64 KiB");
        try (HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build()) {
            var warmUp = h2.send(request("/observe/health", null).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, warmUp.version(), "the connection was upgraded to HTTP/2");
            var response = h2.send(request(path, token).header("Content-Type", JSON).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertEquals(HttpClient.Version.HTTP_2, response.version());
            assertProblem(response, 413, "payload-too-large", what + " over HTTP/2");
        }
        try (HttpClient h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()) {
            var response = h1.send(request(path, token).expectContinue(true).header("Content-Type", JSON)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertEquals(HttpClient.Version.HTTP_1_1, response.version());
            assertProblem(response, 413, "payload-too-large", what + " over HTTP/1.1");
        }
    }

    private HttpRequest.Builder request(String pathAndQuery, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(backend.baseUrl() + pathAndQuery)).timeout(CALL_TIMEOUT);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
        return http.send(request(pathAndQuery, token).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String path, String token, String contentType, String body) throws Exception {
        HttpRequest.Builder builder = request(path, token);
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        builder.POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonObject parse(HttpResponse<String> response) {
        String contentType = response.headers().firstValue("content-type").orElse("");
        assertTrue(contentType.startsWith(JSON), "content type " + contentType + " of " + abbreviate(response.body()));
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private static JsonObject problem(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    /** A JSON object of string fields, properly escaped. */
    private static String json(String... namesAndValues) {
        var builder = Json.createObjectBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build().toString();
    }

    private static String uniqueName(String prefix) {
        String name = prefix + "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + COUNTER.incrementAndGet();
        return name.length() > 32 ? name.substring(name.length() - 32) : name;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "<none>";
        }
        return value.length() > 200 ? value.substring(0, 200) + "...(" + value.length() + " chars)" : value;
    }

    private long countUsers(String username) throws SQLException {
        return count("SELECT count(*) FROM users WHERE username_key = lower(?)", username);
    }

    private long countMessagesFrom(UUID sender) throws SQLException {
        return count("SELECT count(*) FROM messages WHERE sender_id = ?", sender);
    }

    private long countMessagesTo(UUID recipient) throws SQLException {
        return count("SELECT count(*) FROM messages WHERE recipient_id = ?", recipient);
    }

    private boolean tableExists(String table) throws SQLException {
        return count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ?", table) == 1;
    }

    private long count(String sql, Object parameter) throws SQLException {
        try (Connection db = backend.jdbc(); PreparedStatement query = db.prepareStatement(sql)) {
            query.setObject(1, parameter);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
