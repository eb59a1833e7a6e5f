package dev.messenger.server.deploy;

import dev.messenger.api.v1.FeedEvent;
import dev.messenger.api.v1.GetUserRequest;
import dev.messenger.api.v1.ListConversationsRequest;
import dev.messenger.api.v1.LogoutRequest;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.NotificationsServiceGrpc;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.api.v1.SubscribeRequest;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.client.MessengerChannels;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.ServerProcess;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.function.ThrowingConsumer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docker-compose.yml's backend, without Docker: the migrate step and the users, messages and
 * notifications services run as separate {@code java} processes with the environment compose gives
 * them, only PostgreSQL's and Kafka's addresses (and each server port) pointing at the test's
 * embedded servers. Proves the split works (a message sent to the messages process reaches a
 * Subscribe stream on the notifications process through the outbox and Kafka) and is real (each
 * process refuses the others' calls). Process output: target/server-processes/*.log.
 */
@ExtendWith(BackendExtension.class)
class SeparateProcessesTest {
    private static final List<String> SERVICES = List.of("users", "messages", "notifications");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private static final Map<String, ServerProcess> processes = new LinkedHashMap<>();
    private static final Map<String, Integer> ports = new LinkedHashMap<>();
    private static final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startTheStack(TestBackend backend) throws Exception {
        ComposeFile compose = ComposeFile.load();
        createDatabaseAsThePostgresImageWould(backend, compose.environment("migrate"));

        ServerProcess migrate = ServerProcess.start("migrate", environment(compose, "migrate", backend, null));
        assertTrue(migrate.process().waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "migrate finished in time" + migrate.tail());
        assertEquals(0, migrate.process().exitValue(), "migrate exit status" + migrate.tail());
        assertTrue(migrate.log().contains("Database schema at version"), migrate.tail());

        for (String service : SERVICES) {
            int port = TestBackend.freePort();
            ports.put(service, port);
            processes.put(service, ServerProcess.start(service, environment(compose, service, backend, port)));
        }
        for (String service : SERVICES) {
            processes.get(service).awaitHealthy(ports.get(service), START_TIMEOUT);
            channels.put(service, MessengerChannels.plaintext("127.0.0.1:" + ports.get(service)));
        }
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        channels.values().forEach(ManagedChannel::shutdownNow);
        List<AssertionError> problems = new ArrayList<>();
        for (var entry : processes.entrySet()) {
            Process process = entry.getValue().process();
            process.destroy(); // SIGTERM, as docker stop sends
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                problems.add(new AssertionError(entry.getKey() + " did not stop within 30 s of SIGTERM" + entry.getValue().tail()));
            } else if (process.exitValue() != 143) {
                // 128 + SIGTERM: the JVM ran its shutdown hooks (MessengerServer.close) and exited.
                problems.add(new AssertionError(entry.getKey() + " exited with " + process.exitValue() + " on SIGTERM" + entry.getValue().tail()));
            }
        }
        if (!problems.isEmpty()) {
            throw problems.getFirst();
        }
    }

    /** An authenticated REST call each process serves. */
    private static final Map<String, String> REST_PATHS = Map.of(
            "users", "/users/me",
            "messages", "/conversations",
            "notifications", "/notifications?after=0");

    @Test
    void servicesInSeparateProcessesWorkTogether() throws Exception {
        TestUser alice = TestUser.create(channels.get("users"), "split");
        TestUser bob = TestUser.create(channels.get("users"), "split");

        // Bob's live feed on the notifications process; its first heartbeat means it is live.
        Iterator<FeedEvent> feed = bob.as(NotificationsServiceGrpc.newBlockingStub(channels.get("notifications")))
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .subscribe(SubscribeRequest.newBuilder().setAfterSeq(0).build());
        assertTrue(feed.next().hasHeartbeat(), "an empty feed starts with a heartbeat");

        String text = "across processes " + System.nanoTime();
        alice.as(MessagesServiceGrpc.newBlockingStub(channels.get("messages"))).sendMessage(SendMessageRequest.newBuilder()
                .setRecipientId(bob.id().toString()).setText(text).setClientMessageId("split-" + System.nanoTime()).build());

        FeedEvent delivered = nextMessage(feed);
        assertEquals(text, delivered.getMessage().getMessage().getText());
        assertEquals(alice.id().toString(), delivered.getMessage().getMessage().getSenderId());

        // One REST call per process.
        var me = rest("users", "/users/me", alice);
        assertEquals(200, me.statusCode(), me.body());
        assertTrue(me.body().contains(alice.username()), me.body());
        var conversations = rest("messages", "/conversations", bob);
        assertEquals(200, conversations.statusCode(), conversations.body());
        assertTrue(conversations.body().contains(alice.id().toString()), conversations.body());
        var notifications = rest("notifications", "/notifications?after=0", bob);
        assertEquals(200, notifications.statusCode(), notifications.body());
        assertTrue(notifications.body().contains(text), notifications.body());
    }

    @Test
    void eachProcessServesOnlyItsOwnService() throws Exception {
        TestUser carol = TestUser.create(channels.get("users"), "split");
        List<Executable> checks = new ArrayList<>();
        for (String process : SERVICES) {
            for (String other : SERVICES) {
                if (other.equals(process)) {
                    continue;
                }
                checks.add(() -> onConnectionOfItsOwn(process, channel -> {
                    Status.Code code = assertThrows(StatusRuntimeException.class, () -> call(other, channel, carol),
                            process + " must not serve " + other + " over gRPC").getStatus().getCode();
                    assertEquals(Status.Code.UNIMPLEMENTED, code, process + " answering a " + other + " call");
                }));
                checks.add(() -> {
                    var response = rest(process, REST_PATHS.get(other), carol);
                    assertEquals(404, response.statusCode(), process + " must not serve " + REST_PATHS.get(other) + ": " + response.body());
                });
            }
            checks.add(() -> onConnectionOfItsOwn(process, channel -> call(process, channel, carol))); // and it does serve its own
        }
        org.junit.jupiter.api.Assertions.assertAll(checks.stream());
    }

    /** Each process caches sessions; a logout on the users process must still end the session on the others. */
    @Test
    void aLogoutOnTheUsersProcessEndsTheSessionOnEveryProcessAtOnce() throws Exception {
        TestUser dave = TestUser.create(channels.get("users"), "split");
        for (String process : SERVICES) {
            call(process, channels.get(process), dave);
        }

        dave.as(UsersServiceGrpc.newBlockingStub(channels.get("users"))).withDeadlineAfter(10, TimeUnit.SECONDS)
                .logout(LogoutRequest.getDefaultInstance());

        long started = System.nanoTime();
        for (String process : SERVICES) {
            while (true) {
                try {
                    call(process, channels.get(process), dave);
                } catch (StatusRuntimeException e) {
                    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), process);
                    break;
                }
                assertTrue(System.nanoTime() - started < Duration.ofSeconds(2).toNanos(),
                        process + " still accepts the signed-out session");
                Thread.sleep(5);
            }
            assertEquals(401, rest(process, REST_PATHS.get(process), dave).statusCode(), process + " over REST");
        }
        System.out.printf("[split] signed out everywhere %d ms after the logout returned%n", (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * A check on a connection of its own: a call refused before its request was read (an unknown
     * service) can make Helidon drop the whole connection when the client's reset of that stream
     * arrives late (Helidon defect 15 in ARCHITECTURE.md), failing the next check on it.
     */
    private static void onConnectionOfItsOwn(String process, ThrowingConsumer<ManagedChannel> check) throws Throwable {
        ManagedChannel channel = MessengerChannels.plaintext("127.0.0.1:" + ports.get(process));
        try {
            check.accept(channel);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** One authenticated gRPC call to {@code service}. */
    private static void call(String service, ManagedChannel channel, TestUser user) {
        switch (service) {
            case "users" -> user.as(UsersServiceGrpc.newBlockingStub(channel)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getUser(GetUserRequest.getDefaultInstance());
            case "messages" -> user.as(MessagesServiceGrpc.newBlockingStub(channel)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listConversations(ListConversationsRequest.getDefaultInstance());
            case "notifications" -> user.as(NotificationsServiceGrpc.newBlockingStub(channel)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .subscribe(SubscribeRequest.getDefaultInstance()).next();
            default -> throw new IllegalArgumentException(service);
        }
    }

    private static HttpResponse<String> rest(String service, String path, TestUser user) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(service) + path))
                        .header("authorization", user.authorization()).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static FeedEvent nextMessage(Iterator<FeedEvent> feed) {
        for (int i = 0; i < 30; i++) {
            FeedEvent event = feed.next();
            if (event.hasMessage()) {
                return event;
            }
        }
        return fail("no message within 30 events");
    }

    /**
     * The service's compose environment with only the infrastructure's addresses replaced:
     * postgres:5432 and kafka:9092 by the embedded servers, and SERVER_PORT set to a free port.
     */
    private static Map<String, String> environment(ComposeFile compose, String service, TestBackend backend, Integer port) {
        Map<String, String> environment = new LinkedHashMap<>(compose.environment(service));
        String postgresAddress = URI.create(backend.jdbcUrl().substring("jdbc:".length())).getAuthority();
        environment.computeIfPresent("DB_CONNECTION_URL", (key, url) -> {
            assertTrue(url.startsWith("jdbc:postgresql://postgres:5432/"), url);
            return url.replace("//postgres:5432/", "//" + postgresAddress + "/");
        });
        environment.computeIfPresent("KAFKA_BOOTSTRAP_SERVERS", (key, servers) -> {
            assertEquals("kafka:9092", servers);
            return backend.kafkaBootstrapServers();
        });
        if (port != null) {
            environment.put("SERVER_PORT", String.valueOf(port));
        }
        return environment;
    }

    /** The postgres image creates POSTGRES_USER (a superuser) and POSTGRES_DB; do the same in the embedded server. */
    private static void createDatabaseAsThePostgresImageWould(TestBackend backend, Map<String, String> environment) throws Exception {
        String url = environment.get("DB_CONNECTION_URL");
        String database = url.substring(url.lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
        String user = environment.get("DB_CONNECTION_USERNAME");
        String password = environment.get("DB_CONNECTION_PASSWORD");
        try (Connection admin = backend.jdbc(); Statement statement = admin.createStatement()) {
            if (!exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", user)) {
                statement.execute("CREATE ROLE \"" + user + "\" LOGIN SUPERUSER PASSWORD '" + password.replace("'", "''") + "'");
            }
            if (exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                statement.execute("DROP DATABASE \"" + database + "\" WITH (FORCE)");
            }
            statement.execute("CREATE DATABASE \"" + database + "\" OWNER \"" + user + "\"");
        }
    }

    private static boolean exists(Connection connection, String query, String name) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }
}
