package dev.messenger.desktop.connection;

import dev.messenger.api.v1.GetHistoryResponse;
import dev.messenger.api.v1.ListConversationsResponse;
import dev.messenger.api.v1.LoginResponse;
import dev.messenger.api.v1.MarkReadResponse;
import dev.messenger.api.v1.SendMessageResponse;
import dev.messenger.api.v1.Session;
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

    /** Changes the signed-in user's display name (blank means the username); returns the user as now stored. */
    User updateProfile(String displayName);

    /** Changes the password; every other session is signed out. Returns how many were. */
    int changePassword(String currentPassword, String newPassword);

    /** Deletes the signed-in account for good (the password confirms it); every session ends. */
    void deleteAccount(String password);

    /** Where this account is signed in, the caller's own session marked {@code current}. */
    List<Session> sessions();

    /** Signs one session out (its live feeds end at once). */
    void revokeSession(String sessionId);

    /** Signs out every session but this one; returns how many. */
    int revokeOtherSessions();

    /** Starts the live feed after {@code afterSeq}; it reconnects by itself until closed. */
    LiveFeed subscribe(long afterSeq, FeedListener listener);

    @Override
    void close();
}
