package dev.messenger.server;

import dev.messenger.api.v1.GetUserRequest;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.platform.auth.SessionRevocationListener;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one port serves gRPC, REST, health, metrics and the OpenAPI document. */
@ExtendWith(BackendExtension.class)
class ServerSmokeTest {
    @Test
    void servesGrpcHealthMetricsAndOpenApiOnOnePort(TestBackend backend) throws Exception {
        var channel = backend.newChannel();
        try {
            TestUser alice = TestUser.create(channel, "smoke");
            TestUser bob = TestUser.create(channel, "smoke");
            var me = alice.as(UsersServiceGrpc.newBlockingStub(channel)).getUser(GetUserRequest.getDefaultInstance()).getUser();
            assertEquals(alice.username(), me.getUsername());
            alice.as(MessagesServiceGrpc.newBlockingStub(channel)).sendMessage(SendMessageRequest.newBuilder()
                    .setRecipientId(bob.id().toString()).setText("hello").build());
        } finally {
            channel.shutdownNow();
        }

        var health = get(backend, "/observe/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"status\":\"UP\"") && health.body().contains("database"), health.body());

        var metrics = get(backend, "/observe/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("messenger_messages_sent"), "our counter is published");
        assertTrue(metrics.body().contains("messenger_feeds_open"), "our gauge is published");

        var openApi = get(backend, "/openapi");
        assertEquals(200, openApi.statusCode());
        assertTrue(openApi.body().contains("/messages/send"), "the served document is our openapi.yaml");
    }

    /** A server's own connections end with it: here the one that listens for session revocations. */
    @Test
    void closingAServerEndsItsSessionRevocationListener(TestBackend backend) throws Exception {
        try (Connection db = backend.jdbc()) {
            long before = listeners(db);
            MessengerServer second = MessengerServer.start(backend.config(Map.of()));
            try {
                awaitListeners(db, before + 1);
            } finally {
                second.close();
            }
            awaitListeners(db, before);
        }
    }

    private static void awaitListeners(Connection db, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (listeners(db) != expected) {
            assertTrue(System.nanoTime() < deadline, "listener connections: " + listeners(db) + ", expected " + expected);
            Thread.sleep(20);
        }
    }

    private static long listeners(Connection db) throws Exception {
        try (PreparedStatement query = db.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            query.setString(1, SessionRevocationListener.APPLICATION_NAME);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static HttpResponse<String> get(TestBackend backend, String path) throws Exception {
        return backend.http().send(HttpRequest.newBuilder(URI.create(backend.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
