package dev.messenger.server.testing;

import dev.messenger.api.v1.LoginRequest;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.RegisterRequest;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.api.v1.SendMessageResponse;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.client.BearerToken;
import io.grpc.Channel;
import io.grpc.stub.AbstractStub;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A registered, signed-in user for tests, and the credentials to call as them. */
public record TestUser(UUID id, String username, String password, String token) {
    private static final AtomicLong COUNTER = new AtomicLong();
    public static final String PASSWORD = "correct horse battery";

    /** Registers a user with a unique name starting with {@code prefix} and signs them in over gRPC. */
    public static TestUser create(Channel channel, String prefix) {
        String username = prefix + "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + COUNTER.incrementAndGet();
        var users = UsersServiceGrpc.newBlockingStub(channel);
        var registered = users.register(RegisterRequest.newBuilder()
                .setUsername(username).setDisplayName("Test " + prefix).setPassword(PASSWORD).build()).getUser();
        String token = users.login(LoginRequest.newBuilder().setUsername(username).setPassword(PASSWORD).build()).getToken();
        return new TestUser(UUID.fromString(registered.getId()), username, PASSWORD, token);
    }

    /** Signs in again: a second session of the same user. */
    public TestUser newSession(Channel channel) {
        String newToken = UsersServiceGrpc.newBlockingStub(channel)
                .login(LoginRequest.newBuilder().setUsername(username).setPassword(password).build()).getToken();
        return new TestUser(id, username, password, newToken);
    }

    public String authorization() {
        return "Bearer " + token;
    }

    /** The stub, calling as this user. */
    public <S extends AbstractStub<S>> S as(S stub) {
        return stub.withCallCredentials(BearerToken.of(token));
    }

    /** Sends as this user over gRPC (10 s deadline); {@code clientMessageId} may be null. */
    public SendMessageResponse send(Channel channel, TestUser to, String text, String clientMessageId) {
        SendMessageRequest.Builder request = SendMessageRequest.newBuilder().setRecipientId(to.id().toString()).setText(text);
        if (clientMessageId != null) {
            request.setClientMessageId(clientMessageId);
        }
        return as(MessagesServiceGrpc.newBlockingStub(channel)).withDeadlineAfter(10, TimeUnit.SECONDS).sendMessage(request.build());
    }
}
