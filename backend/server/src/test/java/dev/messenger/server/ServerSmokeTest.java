package dev.messenger.server;

import dev.messenger.api.v1.GetUserRequest;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(BackendExtension.class)
class ServerSmokeTest {
    @Test
    void servesRestGrpcAndHealthOnOnePort(TestBackend backend) throws Exception {
        var channel = backend.newChannel();
        try {
            TestUser alice = TestUser.create(channel, "smoke");
            var me = alice.as(UsersServiceGrpc.newBlockingStub(channel)).getUser(GetUserRequest.getDefaultInstance()).getUser();
            assertEquals(alice.username(), me.getUsername());
        } finally {
            channel.shutdownNow();
        }
        var health = backend.http().send(HttpRequest.newBuilder(URI.create(backend.baseUrl() + "/observe/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("UP"), health.body());
    }
}
