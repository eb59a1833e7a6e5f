package dev.messenger.desktop.connection;

import dev.messenger.api.v1.GetHistoryResponse;
import dev.messenger.api.v1.ListConversationsResponse;
import dev.messenger.api.v1.LoginResponse;
import dev.messenger.api.v1.MarkReadResponse;
import dev.messenger.api.v1.SendMessageResponse;
import dev.messenger.api.v1.User;

import java.util.List;

/**
 * The server's unary calls as the app uses them. Every method blocks and throws
 * {@link io.grpc.StatusRuntimeException} on failure: call it off the JavaFX thread.
 */
public interface MessengerApi extends AutoCloseable {
    String serverAddress();

    User register(String username, String displayName, String password);

    LoginResponse login(String username, String password);

    /** Uses this token for the calls that need one. */
    void useToken(String token);

    void logout();

    User me();

    User user(String id);

    List<User> searchUsers(String prefix);

    ListConversationsResponse conversations();

    GetHistoryResponse history(String peerId, long beforeId, int limit);

    SendMessageResponse send(String recipientId, String text, String clientMessageId);

    MarkReadResponse markRead(String peerId, long upToMessageId);

    /** Starts the live feed after {@code afterSeq}; it reconnects by itself until closed. */
    LiveFeed subscribe(long afterSeq, FeedListener listener);

    @Override
    void close();
}
