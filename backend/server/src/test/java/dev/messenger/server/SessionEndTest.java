package dev.messenger.server;

import dev.messenger.api.v1.LogoutRequest;
import dev.messenger.api.v1.RevokeOtherSessionsRequest;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.client.MessengerChannels;
import dev.messenger.server.testing.BackendExtension;
import dev.messenger.server.testing.FeedRecorder;
import dev.messenger.server.testing.TestBackend;
import dev.messenger.server.testing.TestUser;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session that ends (logout, deletion by an operator, expiry) ends its live feeds and long polls
 * within a second, on every server: here a second instance beside the test backend's, sharing its
 * PostgreSQL and Kafka.
 */
@ExtendWith(BackendExtension.class)
class SessionEndTest {
    private static TestBackend backend;
    private static MessengerServer other;
    private static ManagedChannel channelA;
    private static ManagedChannel channelB;

    @BeforeAll
    static void start(TestBackend testBackend) {
        backend = testBackend;
        other = MessengerServer.start(backend.config(Map.of()));
        channelA = backend.newChannel();
        channelB = MessengerChannels.plaintext("127.0.0.1:" + other.port());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channelA.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        channelB.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        other.close();
    }

    @Test
    @Timeout(30)
    void aLogoutOnOneServerEndsTheSessionsFeedOnAnother() throws Exception {
        TestUser user = TestUser.create(channelA, "end");
        TestUser otherSession = user.newSession(channelA);
        FeedRecorder feed = FeedRecorder.subscribe(user, channelB);
        FeedRecorder untouched = FeedRecorder.subscribe(otherSession, channelB);
        feed.awaitEvent(Duration.ofSeconds(10));
        untouched.awaitEvent(Duration.ofSeconds(10));

        long start = System.nanoTime();
        user.as(UsersServiceGrpc.newBlockingStub(channelA)).withDeadlineAfter(10, TimeUnit.SECONDS)
                .logout(LogoutRequest.getDefaultInstance());
        Status ended = feed.end.get(1, TimeUnit.SECONDS);
        System.out.printf("[session end] feed on the other server ended %.1f ms after the logout%n", (System.nanoTime() - start) / 1e6);
        assertEquals(Status.Code.UNAUTHENTICATED, ended.getCode(), ended.toString());
        assertTrue(ended.getDescription().contains("signed out"), ended.toString());
        assertFalse(untouched.end.isDone(), "the user's other session keeps its feed");
    }

    @Test
    @Timeout(30)
    void signingTheOtherDevicesOutOnOneServerEndsTheirFeedsOnAnother() throws Exception {
        TestUser user = TestUser.create(channelA, "others");
        TestUser phone = user.newSession(channelA);
        FeedRecorder phoneFeed = FeedRecorder.subscribe(phone, channelB);
        FeedRecorder ownFeed = FeedRecorder.subscribe(user, channelB);
        phoneFeed.awaitEvent(Duration.ofSeconds(10));
        ownFeed.awaitEvent(Duration.ofSeconds(10));

        assertEquals(1, user.as(UsersServiceGrpc.newBlockingStub(channelA)).withDeadlineAfter(10, TimeUnit.SECONDS)
                .revokeOtherSessions(RevokeOtherSessionsRequest.getDefaultInstance()).getRevoked());
        assertEquals(Status.Code.UNAUTHENTICATED, phoneFeed.end.get(1, TimeUnit.SECONDS).getCode());
        assertFalse(ownFeed.end.isDone(), "the session that signed the others out keeps its feed");
    }

    @Test
    @Timeout(30)
    void aSessionDeletedByAnOperatorEndsItsFeed() throws Exception {
        TestUser user = TestUser.create(channelA, "op");
        FeedRecorder feed = FeedRecorder.subscribe(user, channelB);
        feed.awaitEvent(Duration.ofSeconds(10));
        try (Connection db = backend.jdbc();
             PreparedStatement delete = db.prepareStatement("DELETE FROM sessions WHERE user_id = ?")) {
            delete.setObject(1, user.id());
            assertEquals(1, delete.executeUpdate());
        }
        assertEquals(Status.Code.UNAUTHENTICATED, feed.end.get(1, TimeUnit.SECONDS).getCode());
    }

    @Test
    @Timeout(30)
    void aFeedEndsWhenItsSessionExpires() throws Exception {
        TestUser user = TestUser.create(channelA, "expiry");
        // Changing the row is announced like a revocation; the session stays live, so nothing ends.
        try (Connection db = backend.jdbc();
             PreparedStatement shorten = db.prepareStatement(
                     "UPDATE sessions SET expires_at = now() + interval '3 seconds' WHERE user_id = ?")) {
            shorten.setObject(1, user.id());
            assertEquals(1, shorten.executeUpdate());
        }
        FeedRecorder feed = FeedRecorder.subscribe(user, channelB);
        feed.awaitEvent(Duration.ofSeconds(10));
        assertFalse(feed.end.isDone(), "a session that was changed but not ended keeps its feed");
        Status ended = feed.end.get(6, TimeUnit.SECONDS);
        assertEquals(Status.Code.UNAUTHENTICATED, ended.getCode(), ended.toString());
        assertTrue(ended.getDescription().contains("expired"), ended.toString());
    }

    @Test
    @Timeout(30)
    void aLogoutEndsALongPollOnAnotherServer() throws Exception {
        TestUser user = TestUser.create(channelA, "poll");
        CompletableFuture<HttpResponse<String>> poll = backend.http().sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port() + "/notifications?after=0&wait=25"))
                        .header("Authorization", user.authorization())
                        .timeout(Duration.ofSeconds(30))
                        .GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(500); // the poll is waiting on server B
        assertFalse(poll.isDone(), "the long poll waits for a message");

        long start = System.nanoTime();
        user.as(UsersServiceGrpc.newBlockingStub(channelA)).withDeadlineAfter(10, TimeUnit.SECONDS)
                .logout(LogoutRequest.getDefaultInstance());
        HttpResponse<String> response = poll.get(1, TimeUnit.SECONDS);
        System.out.printf("[session end] long poll on the other server answered %.1f ms after the logout%n", (System.nanoTime() - start) / 1e6);
        assertEquals(401, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    }
}
