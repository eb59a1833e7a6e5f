package dev.messenger.desktop.connection;

import dev.messenger.api.v1.ChangePasswordRequest;
import dev.messenger.api.v1.DeleteAccountRequest;
import dev.messenger.api.v1.FeedMessage;
import dev.messenger.api.v1.GetHistoryRequest;
import dev.messenger.api.v1.ListSessionsRequest;
import dev.messenger.api.v1.RevokeOtherSessionsRequest;
import dev.messenger.api.v1.RevokeSessionRequest;
import dev.messenger.api.v1.Session;
import dev.messenger.api.v1.UpdateProfileRequest;
import dev.messenger.api.v1.GetHistoryResponse;
import dev.messenger.api.v1.GetUserRequest;
import dev.messenger.api.v1.ListConversationsRequest;
import dev.messenger.api.v1.ListConversationsResponse;
import dev.messenger.api.v1.LoginRequest;
import dev.messenger.client.BearerToken;
import dev.messenger.api.v1.LoginResponse;
import dev.messenger.api.v1.LogoutRequest;
import dev.messenger.api.v1.MarkReadRequest;
import dev.messenger.api.v1.MarkReadResponse;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.RegisterRequest;
import dev.messenger.api.v1.SearchUsersRequest;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.api.v1.SendMessageResponse;
import dev.messenger.api.v1.User;
import dev.messenger.api.v1.UsersServiceGrpc;
import dev.messenger.client.MessengerChannels;
import dev.messenger.client.TrustedCertificates;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The one place that talks to the server: owns the channel for unary calls, the session token
 * sent with them, and the live feed (on a channel of its own, so unary traffic can never take the
 * feed's connection down).
 */
public final class ServerConnection implements MessengerApi, AutoCloseable {
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(15);

    private final ServerAddress address;
    private final Supplier<ManagedChannel> channels;
    private final ManagedChannel channel;
    private volatile String token;
    private FeedSubscription feed;

    /**
     * @throws IllegalArgumentException when the chosen certificate file cannot be read (its
     *                                  message says so in plain words)
     */
    public ServerConnection(ServerEndpoint endpoint) {
        this.address = endpoint.address();
        if (address.tls()) {
            Collection<X509Certificate> trusted = endpoint.trustedCertificate().map(TrustedCertificates::read).orElse(List.of());
            this.channels = () -> MessengerChannels.tls(address.target(), trusted);
        } else {
            this.channels = () -> MessengerChannels.plaintext(address.target());
        }
        this.channel = channels.get();
    }

    @Override
    public String serverAddress() {
        return address.toString();
    }

    @Override
    public void useToken(String token) {
        this.token = token;
    }

    private UsersServiceGrpc.UsersServiceBlockingStub users() {
        return UsersServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(credentials())
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private MessagesServiceGrpc.MessagesServiceBlockingStub messages() {
        return MessagesServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(credentials())
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    CallCredentials credentials() {
        return BearerToken.current(() -> token);
    }

    @Override
    public User register(String username, String displayName, String password) {
        return users().register(RegisterRequest.newBuilder()
                .setUsername(username).setDisplayName(displayName).setPassword(password).build()).getUser();
    }

    @Override
    public LoginResponse login(String username, String password) {
        LoginResponse response = users().login(LoginRequest.newBuilder().setUsername(username).setPassword(password)
                .setDeviceName(deviceName()).build());
        token = response.getToken();
        return response;
    }

    /**
     * How the devices list names this sign-in: "Messenger on <host name>", within the server's 64
     * characters. The host name is read without a name look-up (InetAddress.getLocalHost() can
     * stall for seconds where DNS is broken).
     */
    static String deviceName() {
        String host = Stream.of(System.getenv("HOSTNAME"), System.getenv("COMPUTERNAME"), etcHostname())
                .filter(value -> value != null && !value.isBlank() && value.codePoints().noneMatch(Character::isISOControl))
                .findFirst()
                .orElse(System.getProperty("os.name", "this computer"));
        String name = "Messenger on " + host.strip();
        return name.codePointCount(0, name.length()) <= 64 ? name : name.substring(0, name.offsetByCodePoints(0, 64));
    }

    private static String etcHostname() {
        try {
            Path file = Path.of("/etc/hostname");
            return Files.isReadable(file) ? Files.readString(file).strip() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void logout() {
        users().logout(LogoutRequest.getDefaultInstance());
        token = null;
    }

    @Override
    public User me() {
        return users().getUser(GetUserRequest.getDefaultInstance()).getUser();
    }

    @Override
    public User user(String id) {
        return users().getUser(GetUserRequest.newBuilder().setId(id).build()).getUser();
    }

    @Override
    public List<User> searchUsers(String prefix) {
        return users().searchUsers(SearchUsersRequest.newBuilder().setQuery(prefix).setLimit(20).build()).getUsersList();
    }

    @Override
    public ListConversationsResponse conversations() {
        return messages().listConversations(ListConversationsRequest.newBuilder().setLimit(100).build());
    }

    @Override
    public GetHistoryResponse history(String peerId, long beforeId, int limit) {
        return messages().getHistory(GetHistoryRequest.newBuilder()
                .setPeerId(peerId).setBeforeId(beforeId).setLimit(limit).build());
    }

    @Override
    public SendMessageResponse send(String recipientId, String text, String clientMessageId) {
        return messages().sendMessage(SendMessageRequest.newBuilder()
                .setRecipientId(recipientId).setText(text).setClientMessageId(clientMessageId).build());
    }

    @Override
    public MarkReadResponse markRead(String peerId, long upToMessageId) {
        return messages().markRead(MarkReadRequest.newBuilder().setPeerId(peerId).setUpToMessageId(upToMessageId).build());
    }

    @Override
    public User updateProfile(String displayName) {
        return users().updateProfile(UpdateProfileRequest.newBuilder().setDisplayName(displayName).build()).getUser();
    }

    @Override
    public int changePassword(String currentPassword, String newPassword) {
        return users().changePassword(ChangePasswordRequest.newBuilder()
                .setCurrentPassword(currentPassword).setNewPassword(newPassword).build()).getRevoked();
    }

    @Override
    public void deleteAccount(String password) {
        users().deleteAccount(DeleteAccountRequest.newBuilder().setPassword(password).build());
        token = null;
    }

    @Override
    public List<Session> sessions() {
        return users().listSessions(ListSessionsRequest.getDefaultInstance()).getSessionsList();
    }

    @Override
    public void revokeSession(String sessionId) {
        users().revokeSession(RevokeSessionRequest.newBuilder().setSessionId(sessionId).build());
    }

    @Override
    public int revokeOtherSessions() {
        return users().revokeOtherSessions(RevokeOtherSessionsRequest.getDefaultInstance()).getRevoked();
    }

    @Override
    public synchronized LiveFeed subscribe(long afterSeq, FeedListener listener) {
        if (feed != null) {
            feed.close();
        }
        feed = new FeedSubscription(channels, this::credentials, afterSeq, new FeedListener() {
            @Override
            public void onMessage(FeedMessage message) {
                listener.onMessage(message);
            }

            @Override
            public void onStatus(ConnectionStatus status) {
                if (status == ConnectionStatus.CONNECTED) {
                    // The feed's fresh channel reached the server; the unary channel may still sit in
                    // grpc's reconnect back-off (up to 2 minutes after an outage), failing every call.
                    channel.resetConnectBackoff();
                }
                listener.onStatus(status);
            }

            @Override
            public void onSignedOut() {
                listener.onSignedOut();
            }
        }, Duration.ofSeconds(45));
        feed.start();
        return feed;
    }

    @Override
    public synchronized void close() {
        if (feed != null) {
            feed.close();
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
