package dev.messenger.server.limits;

import dev.messenger.api.v1.LoginRequest;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.RegisterRequest;
import dev.messenger.api.v1.SearchUsersRequest;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.client.MessengerChannels;
import dev.messenger.server.MessengerServer;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rate limits and the sign-in throttle on a real server with them on. The server trusts
 * 127.0.0.1 as a reverse proxy, so each test plays clients at addresses of its own through
 * X-Forwarded-For, as the compose gateway reports them; a second server that trusts no proxy shows
 * that the header is then ignored.
 */
@ExtendWith(BackendExtension.class)
class RateLimitsTest {
    private static final Metadata.Key<String> FORWARDED_FOR = Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> PUSHBACK = Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger(1);

    private static TestBackend backend;
    private static MessengerServer behindProxy;
    private static MessengerServer exposed;
    private static ManagedChannel channel;
    private static ManagedChannel exposedChannel;

    @BeforeAll
    static void start(TestBackend testBackend) {
        backend = testBackend;
        Map<String, String> limits = Map.of(
                "messenger.rate-limits.enabled", "true",
                "users.rate-limits.register.per-address.burst", "3",
                "users.rate-limits.register.per-address.refill", "1",
                "users.rate-limits.register.per-address.per", "PT1H",
                "users.login.free-failures", "2",
                "users.login.first-delay", "PT1M",
                "messages.rate-limits.send.per-account.burst", "5",
                "messages.rate-limits.send.per-account.refill", "1",
                "messages.rate-limits.send.per-account.per", "PT1H");
        behindProxy = MessengerServer.start(backend.config(with(limits, "messenger.trusted-proxies", "127.0.0.1/32, ::1")));
        exposed = MessengerServer.start(backend.config(with(limits, "messenger.trusted-proxies", "")));
        channel = MessengerChannels.plaintext("127.0.0.1:" + behindProxy.port());
        exposedChannel = MessengerChannels.plaintext("127.0.0.1:" + exposed.port());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        exposedChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        behindProxy.close();
        exposed.close();
    }

    @Test
    void registrationsPerAddressAreLimitedWithRetryAfterOnRestAndGrpc() throws Exception {
        String address = nextAddress();
        for (int i = 0; i < 3; i++) {
            assertEquals(201, register(behindProxy, address, uniqueName()).statusCode());
        }
        HttpResponse<String> refused = register(behindProxy, address, uniqueName());
        assertEquals(429, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("https://messenger.dev/problems/resource-exhausted"), refused.body());
        long retryAfter = Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 3600, "Retry-After " + retryAfter);

        StatusRuntimeException grpcRefused = assertThrows(StatusRuntimeException.class, () -> from(address, UsersServiceGrpc.newBlockingStub(channel))
                .register(RegisterRequest.newBuilder().setUsername(uniqueName()).setPassword(TestUser.PASSWORD).build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, grpcRefused.getStatus().getCode());
        assertTrue(Long.parseLong(grpcRefused.getTrailers().get(RETRY_AFTER)) > 0, grpcRefused.getTrailers().toString());
        // No gRPC pushback: clients with a retry policy would wait it out instead of telling the user.
        assertNull(grpcRefused.getTrailers().get(PUSHBACK), grpcRefused.getTrailers().toString());

        // A refused registration stores nothing; another address is not affected.
        String refusedName = uniqueName();
        assertEquals(429, register(behindProxy, address, refusedName).statusCode());
        assertEquals(0, usersNamed(refusedName));
        assertEquals(201, register(behindProxy, nextAddress(), uniqueName()).statusCode());
    }

    @Test
    void aForwardedForHeaderFromAnUntrustedPeerIsIgnored() throws Exception {
        // Each request claims another address; the server counts them all under the real peer.
        for (int i = 0; i < 3; i++) {
            assertEquals(201, register(exposed, nextAddress(), uniqueName()).statusCode());
        }
        assertEquals(429, register(exposed, nextAddress(), uniqueName()).statusCode());
    }

    @Test
    void wrongPasswordsSlowTheGuessingAddressButNotTheOwner() throws Exception {
        String guesser = nextAddress();
        String owner = nextAddress();
        String username = uniqueName();
        assertEquals(201, register(behindProxy, owner, username).statusCode());

        var guessing = from(guesser, UsersServiceGrpc.newBlockingStub(channel));
        for (int i = 0; i < 3; i++) {
            int attempt = i;
            assertEquals(Status.Code.UNAUTHENTICATED, assertThrows(StatusRuntimeException.class,
                    () -> guessing.login(LoginRequest.newBuilder().setUsername(username).setPassword("guess " + attempt).build()))
                    .getStatus().getCode());
        }
        StatusRuntimeException waiting = assertThrows(StatusRuntimeException.class,
                () -> guessing.login(LoginRequest.newBuilder().setUsername(username).setPassword(TestUser.PASSWORD).build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, waiting.getStatus().getCode());
        long retryAfter = Long.parseLong(waiting.getTrailers().get(RETRY_AFTER));
        assertTrue(retryAfter > 50 && retryAfter <= 60, "retry-after " + retryAfter);

        HttpResponse<String> restWaiting = login(behindProxy, guesser, username, TestUser.PASSWORD);
        assertEquals(429, restWaiting.statusCode(), restWaiting.body());
        assertTrue(restWaiting.headers().firstValue("retry-after").isPresent());

        // The owner, elsewhere, signs in at once, on both front doors.
        assertEquals(200, login(behindProxy, owner, username, TestUser.PASSWORD).statusCode());
        String token = from(owner, UsersServiceGrpc.newBlockingStub(channel))
                .login(LoginRequest.newBuilder().setUsername(username).setPassword(TestUser.PASSWORD).build()).getToken();
        assertTrue(!token.isEmpty());
    }

    @Test
    void sendsPerAccountAreLimitedAndARefusedSendStoresNothing() throws Exception {
        TestUser alice = TestUser.create(channel, "limited");
        TestUser bob = TestUser.create(channel, "limited");
        for (int i = 0; i < 5; i++) {
            alice.send(channel, bob, "message " + i, "limited-" + i);
        }
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> alice.send(channel, bob, "one too many", "limited-extra"));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("send"), refused.getStatus().toString());
        assertTrue(Long.parseLong(refused.getTrailers().get(RETRY_AFTER)) > 0);
        assertEquals(5, messagesFrom(alice));

        // Bob has an allowance of his own.
        bob.send(channel, alice, "reply", null);
        // Searching is another operation with its own (default, generous) limits.
        alice.as(UsersServiceGrpc.newBlockingStub(channel)).searchUsers(SearchUsersRequest.newBuilder().setQuery("limited").build());
        var aliceMessages = alice.as(MessagesServiceGrpc.newBlockingStub(channel));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, assertThrows(StatusRuntimeException.class, () -> aliceMessages.sendMessage(
                SendMessageRequest.newBuilder().setRecipientId(bob.id().toString()).setText("still limited").build())).getStatus().getCode());
    }

    private static HttpResponse<String> register(MessengerServer server, String address, String username) throws Exception {
        return post(server, address, "/users/register",
                "{\"username\":\"" + username + "\",\"password\":\"" + TestUser.PASSWORD + "\"}");
    }

    private static HttpResponse<String> login(MessengerServer server, String address, String username, String password) throws Exception {
        return post(server, address, "/auth/login", "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    }

    private static HttpResponse<String> post(MessengerServer server, String address, String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("content-type", "application/json")
                .header("x-forwarded-for", address)
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return backend.http().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static <S extends AbstractStub<S>> S from(String address, S stub) {
        Metadata headers = new Metadata();
        headers.put(FORWARDED_FOR, address);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A documentation address (RFC 5737) no other test uses. */
    private static String nextAddress() {
        int n = NEXT_ADDRESS.getAndIncrement();
        return "198.51." + (100 + n / 250) + "." + (1 + n % 250);
    }

    private static String uniqueName() {
        return "rl_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + NEXT_ADDRESS.getAndIncrement();
    }

    private static int usersNamed(String username) throws Exception {
        return count("SELECT count(*) FROM users WHERE username = ?", username);
    }

    private static int messagesFrom(TestUser user) throws Exception {
        return count("SELECT count(*) FROM messages WHERE sender_id = CAST(? AS uuid)", user.id().toString());
    }

    private static int count(String sql, String parameter) throws Exception {
        try (Connection connection = backend.jdbc(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        var all = new java.util.HashMap<>(base);
        all.put(key, value);
        return all;
    }
}
