package dev.messenger.server;

import dev.messenger.api.v1.ChangePasswordRequest;
import dev.messenger.api.v1.DeleteAccountRequest;
import dev.messenger.api.v1.GetHistoryRequest;
import dev.messenger.api.v1.ListConversationsRequest;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.RegisterRequest;
import dev.messenger.api.v1.SearchUsersRequest;
import dev.messenger.api.v1.UpdateProfileRequest;
import dev.messenger.api.v1.User;
import dev.messenger.api.v1.GetUserRequest;
import dev.messenger.api.v1.ListSessionsRequest;
import dev.messenger.api.v1.LoginRequest;
import dev.messenger.api.v1.RevokeOtherSessionsRequest;
import dev.messenger.api.v1.RevokeSessionRequest;
import dev.messenger.api.v1.Session;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.client.MessengerChannels;
import dev.messenger.server.rest.OpenApiContract;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.FeedRecorder;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The account's sessions as a user manages them: the devices list, signing one or all other
 * devices out (their feeds end at once), and changing the password, over gRPC and REST (every REST
 * exchange checked against openapi.yaml), with the hostile cases.
 */
@ExtendWith(BackendExtension.class)
class AccountSessionsTest {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
    private static TestBackend backend;
    private static ManagedChannel channel;
    private final OpenApiContract contract = OpenApiContract.get();

    @BeforeAll
    static void connect(TestBackend testBackend) {
        backend = testBackend;
        channel = backend.newChannel();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void theDevicesListNamesEachSessionAndMarksTheCurrentOne() {
        TestUser user = TestUser.create(channel, "devices");
        String laptop = login(user, "Messenger on laptop");
        String phone = login(user, "  Phone 📱  ");

        List<Session> sessions = users(laptop).listSessions(ListSessionsRequest.getDefaultInstance()).getSessionsList();
        assertEquals(3, sessions.size(), sessions.toString());
        Session current = sessions.stream().filter(Session::getCurrent).findFirst().orElseThrow();
        assertEquals("Messenger on laptop", current.getDeviceName());
        assertEquals(1, sessions.stream().filter(Session::getCurrent).count());
        assertTrue(sessions.stream().anyMatch(s -> s.getDeviceName().equals("Phone 📱")), "trimmed: " + sessions);
        assertTrue(sessions.stream().anyMatch(s -> s.getDeviceName().isEmpty()), "the nameless first session: " + sessions);
        for (Session session : sessions) {
            assertEquals("127.0.0.1", session.getClientAddress());
            assertTrue(session.getLastUsedAt().getSeconds() >= session.getCreatedAt().getSeconds(), session.toString());
            assertTrue(session.getExpiresAt().getSeconds() > session.getCreatedAt().getSeconds(), session.toString());
        }
        // Each user sees only their own.
        TestUser other = TestUser.create(channel, "devices");
        assertEquals(1, users(other.token()).listSessions(ListSessionsRequest.getDefaultInstance()).getSessionsCount());
        assertNotNull(phone);
    }

    @Test
    void signingOneDeviceOutEndsItsTokenAndItsFeedAtOnce() throws Exception {
        TestUser user = TestUser.create(channel, "revoke");
        String laptop = login(user, "Laptop");
        TestUser phone = new TestUser(user.id(), user.username(), user.password(), login(user, "Phone"));
        FeedRecorder feed = FeedRecorder.subscribe(phone, channel);
        feed.awaitEvent(Duration.ofSeconds(10));

        String phoneId = sessionNamed(laptop, "Phone").getId();
        users(laptop).revokeSession(RevokeSessionRequest.newBuilder().setSessionId(phoneId).build());

        assertEquals(Status.Code.UNAUTHENTICATED, feed.awaitEnd(Duration.ofSeconds(2)).getCode());
        assertStatus(Status.Code.UNAUTHENTICATED, () -> users(phone.token()).getUser(GetUserRequest.getDefaultInstance()));
        assertEquals(user.username(), users(laptop).getUser(GetUserRequest.getDefaultInstance()).getUser().getUsername());

        // Gone, someone else's, or not an id at all: nothing is signed out.
        assertStatus(Status.Code.NOT_FOUND, () -> users(laptop).revokeSession(RevokeSessionRequest.newBuilder().setSessionId(phoneId).build()));
        TestUser stranger = TestUser.create(channel, "revoke");
        String strangersSession = users(stranger.token()).listSessions(ListSessionsRequest.getDefaultInstance()).getSessions(0).getId();
        assertStatus(Status.Code.NOT_FOUND,
                () -> users(laptop).revokeSession(RevokeSessionRequest.newBuilder().setSessionId(strangersSession).build()));
        users(stranger.token()).getUser(GetUserRequest.getDefaultInstance());
        for (String bad : List.of("", "not-a-uuid", "x".repeat(10_000), "00000000-0000-0000-0000-00000000000\u0000")) {
            assertStatus(Status.Code.INVALID_ARGUMENT,
                    () -> users(laptop).revokeSession(RevokeSessionRequest.newBuilder().setSessionId(bad).build()));
        }
    }

    @Test
    void signingEveryOtherDeviceOutKeepsOnlyThisOne() throws Exception {
        TestUser user = TestUser.create(channel, "others");
        String keep = login(user, "Keep");
        String other = login(user, "Other");
        TestUser otherUser = new TestUser(user.id(), user.username(), user.password(), other);
        FeedRecorder feed = FeedRecorder.subscribe(otherUser, channel);
        feed.awaitEvent(Duration.ofSeconds(10));

        assertEquals(2, users(keep).revokeOtherSessions(RevokeOtherSessionsRequest.getDefaultInstance()).getRevoked());
        assertEquals(Status.Code.UNAUTHENTICATED, feed.awaitEnd(Duration.ofSeconds(2)).getCode());
        assertStatus(Status.Code.UNAUTHENTICATED, () -> users(other).getUser(GetUserRequest.getDefaultInstance()));
        assertStatus(Status.Code.UNAUTHENTICATED, () -> users(user.token()).getUser(GetUserRequest.getDefaultInstance()));
        List<Session> left = users(keep).listSessions(ListSessionsRequest.getDefaultInstance()).getSessionsList();
        assertEquals(1, left.size());
        assertTrue(left.getFirst().getCurrent());
        assertEquals(0, users(keep).revokeOtherSessions(RevokeOtherSessionsRequest.getDefaultInstance()).getRevoked());
    }

    @Test
    void changingThePasswordChecksTheCurrentOneAndSignsTheOtherDevicesOut() {
        TestUser user = TestUser.create(channel, "passwd");
        String here = login(user, "Here");
        String elsewhere = login(user, "Elsewhere");
        var mine = users(here);

        StatusRuntimeException wrong = assertStatus(Status.Code.PERMISSION_DENIED, () -> mine.changePassword(
                change("not my password", "a brand new password")));
        assertTrue(wrong.getStatus().getDescription().contains("password is not right"), wrong.getStatus().toString());
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> mine.changePassword(change(user.password(), "short")));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> mine.changePassword(change(user.password(), "x".repeat(257))));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> mine.changePassword(change(user.password(), "with a \u0000 in it")));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> mine.changePassword(change("", "a brand new password")));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> mine.changePassword(change(user.password(), user.password())));
        // None of that changed anything: every session still works, the old password still signs in.
        users(elsewhere).getUser(GetUserRequest.getDefaultInstance());
        login(user, "Still the old password");

        assertEquals(3, mine.changePassword(change(user.password(), "a brand new password")).getRevoked());
        assertStatus(Status.Code.UNAUTHENTICATED, () -> users(elsewhere).getUser(GetUserRequest.getDefaultInstance()));
        mine.getUser(GetUserRequest.getDefaultInstance());
        assertStatus(Status.Code.UNAUTHENTICATED, () -> anonymous().login(LoginRequest.newBuilder()
                .setUsername(user.username()).setPassword(user.password()).build()));
        anonymous().login(LoginRequest.newBuilder().setUsername(user.username()).setPassword("a brand new password").build());
    }

    @Test
    void guessingTheCurrentPasswordIsThrottledLikeSigningIn() {
        TestUser user = TestUser.create(channel, "guess");
        var mine = users(user.token());
        for (int i = 0; i < 6; i++) {
            int attempt = i;
            assertStatus(Status.Code.PERMISSION_DENIED, () -> mine.changePassword(change("guess " + attempt, "a brand new password")));
        }
        // Five free failures, then this address waits (a minute in the test backend), right password or not.
        StatusRuntimeException throttled = assertStatus(Status.Code.RESOURCE_EXHAUSTED,
                () -> mine.changePassword(change(user.password(), "a brand new password")));
        assertNotNull(throttled.getTrailers());
        assertStatus(Status.Code.RESOURCE_EXHAUSTED, () -> anonymous().login(LoginRequest.newBuilder()
                .setUsername(user.username()).setPassword(user.password()).build()));
    }

    @Test
    void deviceNamesAreValidatedAtSignIn() {
        TestUser user = TestUser.create(channel, "devname");
        // (A lone surrogate cannot be sent over gRPC: protobuf encodes it as '?'. REST refuses it.)
        for (String bad : List.of("x".repeat(65), "tab\tname", "nul\u0000name")) {
            assertStatus(Status.Code.INVALID_ARGUMENT, () -> anonymous().login(LoginRequest.newBuilder()
                    .setUsername(user.username()).setPassword(user.password()).setDeviceName(bad).build()));
        }
        login(user, "😀".repeat(64));
    }

    @Test
    void sessionsAreTouchedAtMostOnceAMinuteAndTouchingIsNotARevocation() throws Exception {
        TestUser user = TestUser.create(channel, "touch");
        UUID sessionId = UUID.fromString(sessionNamed(user.token(), "").getId());
        try (Connection listener = backend.jdbc(); Statement listen = listener.createStatement()) {
            listen.execute("LISTEN messenger_session_revoked");
            Instant longAgo = Instant.now().minus(Duration.ofMinutes(10));
            setLastUsed(sessionId, longAgo);
            // A server without the session cache looks the token up on every call, so it touches now.
            try (MessengerServer uncached = MessengerServer.start(backend.config(Map.of("auth.session-cache.enabled", "false")))) {
                ManagedChannel direct = MessengerChannels.plaintext("127.0.0.1:" + uncached.port());
                try {
                    var stub = user.as(UsersServiceGrpc.newBlockingStub(direct));
                    stub.getUser(GetUserRequest.getDefaultInstance());
                    Instant touched = lastUsed(sessionId);
                    assertTrue(touched.isAfter(Instant.now().minusSeconds(30)), "touched: " + touched);
                    stub.getUser(GetUserRequest.getDefaultInstance());
                    stub.getUser(GetUserRequest.getDefaultInstance());
                    assertEquals(touched, lastUsed(sessionId), "not again within the minute");
                } finally {
                    direct.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
            PGNotification[] heard = listener.unwrap(PGConnection.class).getNotifications(500);
            assertTrue(heard == null || heard.length == 0 || java.util.Arrays.stream(heard)
                    .noneMatch(n -> n.getParameter().equals(sessionId.toString())), "a touch is not announced as a revocation");
            // A real change still is.
            try (Connection db = backend.jdbc(); PreparedStatement update = db.prepareStatement(
                    "UPDATE sessions SET expires_at = expires_at - interval '1 second' WHERE id = ?")) {
                update.setObject(1, sessionId);
                update.executeUpdate();
            }
            PGNotification[] revoked = listener.unwrap(PGConnection.class).getNotifications(5_000);
            assertNotNull(revoked);
            assertTrue(java.util.Arrays.stream(revoked).anyMatch(n -> n.getParameter().equals(sessionId.toString())));
        }
    }

    @Test
    void deletingTheAccountEndsEverySessionErasesThePersonAndKeepsTheirMessagesWithPeers() throws Exception {
        TestUser leaving = TestUser.create(channel, "leaving");
        TestUser peer = TestUser.create(channel, "peer");
        leaving.send(channel, peer, "goodbye", null);
        peer.send(channel, leaving, "see you", null);
        String laptop = login(leaving, "Laptop");
        FeedRecorder feed = FeedRecorder.subscribe(leaving, channel);
        feed.awaitEvent(Duration.ofSeconds(10));

        assertStatus(Status.Code.PERMISSION_DENIED, () -> users(laptop).deleteAccount(DeleteAccountRequest.newBuilder()
                .setPassword("not my password").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> users(laptop).deleteAccount(DeleteAccountRequest.getDefaultInstance()));
        users(leaving.token()).getUser(GetUserRequest.getDefaultInstance());

        users(laptop).deleteAccount(DeleteAccountRequest.newBuilder().setPassword(leaving.password()).build());

        // Every session ends at once, the live feed too; nobody can sign in as the account.
        assertEquals(Status.Code.UNAUTHENTICATED, feed.awaitEnd(Duration.ofSeconds(2)).getCode());
        assertStatus(Status.Code.UNAUTHENTICATED, () -> users(laptop).getUser(GetUserRequest.getDefaultInstance()));
        assertStatus(Status.Code.UNAUTHENTICATED, () -> users(leaving.token()).getUser(GetUserRequest.getDefaultInstance()));
        StatusRuntimeException signIn = assertStatus(Status.Code.UNAUTHENTICATED, () -> anonymous().login(LoginRequest.newBuilder()
                .setUsername(leaving.username()).setPassword(leaving.password()).build()));
        assertEquals("Wrong username or password", signIn.getStatus().getDescription(), "told apart from an unknown user by nothing");

        // The peer still has the conversation, from a deleted account, and cannot write to it any more.
        var peerUsers = users(peer.token());
        User shown = peerUsers.getUser(GetUserRequest.newBuilder().setId(leaving.id().toString()).build()).getUser();
        assertTrue(shown.getDeleted());
        assertEquals("Deleted account", shown.getDisplayName());
        var conversation = peer.as(MessagesServiceGrpc.newBlockingStub(channel))
                .listConversations(ListConversationsRequest.getDefaultInstance()).getConversationsList().stream()
                .filter(c -> c.getPeer().getId().equals(leaving.id().toString())).findFirst().orElseThrow();
        assertTrue(conversation.getPeer().getDeleted());
        var history = peer.as(MessagesServiceGrpc.newBlockingStub(channel)).getHistory(GetHistoryRequest.newBuilder()
                .setPeerId(leaving.id().toString()).build()).getMessagesList();
        assertEquals(List.of("see you", "goodbye"), history.stream().map(m -> m.getText()).toList());
        StatusRuntimeException refused = assertStatus(Status.Code.NOT_FOUND, () -> peer.send(channel, leaving, "hello?", null));
        assertTrue(refused.getStatus().getDescription().contains("deleted"), refused.getStatus().toString());
        assertEquals(0, peerUsers.searchUsers(SearchUsersRequest.newBuilder().setQuery(leaving.username()).build()).getUsersCount());
        assertEquals(List.of(), sessionRows(leaving.id()));

        // The username stays reserved during the quarantine.
        assertStatus(Status.Code.ALREADY_EXISTS, () -> anonymous().register(RegisterRequest.newBuilder()
                .setUsername(leaving.username()).setPassword("someone else's password").build()));
    }

    @Test
    void aDeletedAccountsUsernameIsFreedAfterTheQuarantine() throws Exception {
        TestUser leaving = TestUser.create(channel, "freed");
        users(leaving.token()).deleteAccount(DeleteAccountRequest.newBuilder().setPassword(leaving.password()).build());
        // A server whose quarantine has passed frees it at its first purge (at start-up, then hourly).
        try (MessengerServer later = MessengerServer.start(backend.config(Map.of("users.deleted-username-quarantine", "PT0S")))) {
            ManagedChannel direct = MessengerChannels.plaintext("127.0.0.1:" + later.port());
            try {
                var register = UsersServiceGrpc.newBlockingStub(direct);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                User newcomer = null;
                while (newcomer == null) {
                    try {
                        newcomer = register.withDeadlineAfter(10, TimeUnit.SECONDS).register(RegisterRequest.newBuilder()
                                .setUsername(leaving.username()).setPassword("a newcomer's password").build()).getUser();
                    } catch (StatusRuntimeException e) {
                        assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode(), e.getStatus().toString());
                        assertTrue(System.nanoTime() < deadline, "the username was not freed");
                        Thread.sleep(100);
                    }
                }
                assertFalse(newcomer.getId().equals(leaving.id().toString()));
                assertFalse(newcomer.getDeleted());
            } finally {
                direct.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        User old = users(TestUser.create(channel, "viewer").token())
                .getUser(GetUserRequest.newBuilder().setId(leaving.id().toString()).build()).getUser();
        assertTrue(old.getDeleted());
        assertTrue(old.getUsername().startsWith("deleted-"), "a placeholder now: " + old.getUsername());
    }

    @Test
    void theDisplayNameCanBeChangedAndEveryoneSeesTheNewOne() throws Exception {
        TestUser user = TestUser.create(channel, "rename");
        TestUser viewer = TestUser.create(channel, "rename");
        var mine = users(user.token());
        assertEquals("Alice in Wonderland", mine.updateProfile(UpdateProfileRequest.newBuilder()
                .setDisplayName("  Alice in Wonderland ").build()).getUser().getDisplayName());
        assertEquals("Alice in Wonderland", users(viewer.token()).getUser(GetUserRequest.newBuilder()
                .setId(user.id().toString()).build()).getUser().getDisplayName());
        assertEquals(user.username(), mine.updateProfile(UpdateProfileRequest.newBuilder().setDisplayName(" ").build())
                .getUser().getDisplayName(), "blank means the username");
        for (String bad : List.of("x".repeat(65), "line\nbreak", "nul\u0000")) {
            assertStatus(Status.Code.INVALID_ARGUMENT, () -> mine.updateProfile(UpdateProfileRequest.newBuilder().setDisplayName(bad).build()));
        }
        assertEquals(user.username(), mine.getUser(GetUserRequest.getDefaultInstance()).getUser().getDisplayName(), "refused: unchanged");

        String body = Json.createObjectBuilder().add("displayName", "Über Alice 🙂").build().toString();
        var renamed = contract.assertExchange(send("PATCH", "/users/me", user.token(), body), body);
        assertEquals(200, renamed.statusCode(), renamed.body());
        assertEquals("Über Alice 🙂", json(renamed).getJsonObject("user").getString("displayName"));
        var anonymous = contract.assertExchange(send("PATCH", "/users/me", null, body), body);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        var surrogate = contract.assertResponse(send("PATCH", "/users/me", user.token(), "{\"displayName\":\"\\ud800\"}"));
        assertEquals(400, surrogate.statusCode(), surrogate.body());
    }

    // ---------------------------------------------------------------- REST, against openapi.yaml

    @Test
    void theRestFormsBehaveTheSameAndMatchTheContract() throws Exception {
        TestUser user = TestUser.create(channel, "rest_dev");
        String loginBody = Json.createObjectBuilder().add("username", user.username()).add("password", user.password())
                .add("deviceName", "Browser").build().toString();
        var login = contract.assertExchange(send("POST", "/auth/login", null, loginBody), loginBody);
        assertEquals(200, login.statusCode(), login.body());
        String browser = json(login).getString("token");
        String other = login(user, "Other");

        var list = contract.assertExchange(send("GET", "/auth/sessions", browser, null), null);
        assertEquals(200, list.statusCode(), list.body());
        var sessions = json(list).getJsonArray("sessions");
        assertEquals(3, sessions.size());
        String otherId = sessions.stream().map(JsonObject.class::cast)
                .filter(s -> s.getString("deviceName").equals("Other")).findFirst().orElseThrow().getString("id");
        assertTrue(sessions.stream().map(JsonObject.class::cast).anyMatch(s -> s.getBoolean("current")
                && s.getString("deviceName").equals("Browser")));

        var revoked = contract.assertExchange(send("DELETE", "/auth/sessions/" + otherId, browser, null), null);
        assertEquals(204, revoked.statusCode(), revoked.body());
        assertStatus(Status.Code.UNAUTHENTICATED, () -> users(other).getUser(GetUserRequest.getDefaultInstance()));
        var again = contract.assertExchange(send("DELETE", "/auth/sessions/" + otherId, browser, null), null);
        assertEquals(404, again.statusCode(), again.body());
        var malformed = contract.assertResponse(send("DELETE", "/auth/sessions/not-a-uuid", browser, null));
        assertEquals(400, malformed.statusCode(), malformed.body());
        var anonymous = contract.assertExchange(send("GET", "/auth/sessions", null, null), null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());

        var others = contract.assertExchange(send("POST", "/auth/sessions/revoke-others", browser, null), null);
        assertEquals(200, others.statusCode(), others.body());
        assertEquals(1, json(others).getInt("revoked"), "the nameless first session");

        String wrongBody = Json.createObjectBuilder().add("currentPassword", "nope").add("newPassword", "a brand new password")
                .build().toString();
        var wrong = contract.assertExchange(send("POST", "/users/me/password", browser, wrongBody), wrongBody);
        assertEquals(403, wrong.statusCode(), wrong.body());
        String unknownField = "{\"currentPassword\":\"x\",\"newPassword\":\"a brand new password\",\"admin\":true}";
        var rejected = contract.assertResponse(send("POST", "/users/me/password", browser, unknownField));
        assertEquals(400, rejected.statusCode(), rejected.body());
        var empty = contract.assertResponse(send("POST", "/users/me/password", browser, null));
        assertEquals(400, empty.statusCode(), empty.body());
        String changeBody = Json.createObjectBuilder().add("currentPassword", user.password()).add("newPassword", "a brand new password")
                .build().toString();
        var changed = contract.assertExchange(send("POST", "/users/me/password", browser, changeBody), changeBody);
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals(0, json(changed).getInt("revoked"));

        String wrongDelete = Json.createObjectBuilder().add("password", user.password()).build().toString();
        var notDeleted = contract.assertExchange(send("POST", "/users/me/delete", browser, wrongDelete), wrongDelete);
        assertEquals(403, notDeleted.statusCode(), "the old password no longer counts: " + notDeleted.body());
        String deleteBody = Json.createObjectBuilder().add("password", "a brand new password").build().toString();
        var deleted = contract.assertExchange(send("POST", "/users/me/delete", browser, deleteBody), deleteBody);
        assertEquals(204, deleted.statusCode(), deleted.body());
        var gone = contract.assertExchange(send("GET", "/users/me", browser, null), null);
        assertEquals(401, gone.statusCode(), gone.body());
    }

    // ---------------------------------------------------------------- helpers

    private static String login(TestUser user, String deviceName) {
        return anonymous().login(LoginRequest.newBuilder().setUsername(user.username()).setPassword(user.password())
                .setDeviceName(deviceName).build()).getToken();
    }

    private static Session sessionNamed(String token, String deviceName) {
        return users(token).listSessions(ListSessionsRequest.getDefaultInstance()).getSessionsList().stream()
                .filter(s -> s.getDeviceName().equals(deviceName)).findFirst().orElseThrow();
    }

    private static ChangePasswordRequest change(String current, String next) {
        return ChangePasswordRequest.newBuilder().setCurrentPassword(current).setNewPassword(next).build();
    }

    private static UsersServiceGrpc.UsersServiceBlockingStub anonymous() {
        return UsersServiceGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static UsersServiceGrpc.UsersServiceBlockingStub users(String token) {
        return new TestUser(UUID.randomUUID(), "", "", token).as(UsersServiceGrpc.newBlockingStub(channel))
                .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static StatusRuntimeException assertStatus(Status.Code expected, Supplier<?> call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::get);
        assertEquals(expected, e.getStatus().getCode(), e.getStatus().toString());
        return e;
    }

    private static HttpResponse<String> send(String method, String path, String token, String jsonBody) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend.baseUrl() + path)).timeout(CALL_TIMEOUT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        return backend.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private static void setLastUsed(UUID sessionId, Instant when) throws Exception {
        try (Connection db = backend.jdbc(); PreparedStatement update = db.prepareStatement(
                "UPDATE sessions SET last_used_at = ? WHERE id = ?")) {
            update.setTimestamp(1, Timestamp.from(when));
            update.setObject(2, sessionId);
            assertEquals(1, update.executeUpdate());
        }
    }

    private static List<UUID> sessionRows(UUID userId) throws Exception {
        try (Connection db = backend.jdbc(); PreparedStatement query = db.prepareStatement("SELECT id FROM sessions WHERE user_id = ?")) {
            query.setObject(1, userId);
            try (ResultSet rows = query.executeQuery()) {
                List<UUID> ids = new java.util.ArrayList<>();
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
                return ids;
            }
        }
    }

    private static Instant lastUsed(UUID sessionId) throws Exception {
        try (Connection db = backend.jdbc(); PreparedStatement query = db.prepareStatement(
                "SELECT last_used_at FROM sessions WHERE id = ?")) {
            query.setObject(1, sessionId);
            try (ResultSet rows = query.executeQuery()) {
                assertTrue(rows.next());
                return rows.getTimestamp(1).toInstant();
            }
        }
    }
}
