package dev.messenger.desktop;

import com.google.protobuf.Timestamp;
import dev.messenger.api.v1.GetHistoryResponse;
import dev.messenger.api.v1.ListConversationsResponse;
import dev.messenger.api.v1.LoginResponse;
import dev.messenger.api.v1.MarkReadResponse;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendMessageResponse;
import dev.messenger.api.v1.Session;
import dev.messenger.api.v1.User;
import dev.messenger.desktop.connection.FeedListener;
import dev.messenger.desktop.connection.LiveFeed;
import dev.messenger.desktop.connection.MessengerApi;
import io.grpc.Status;

import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory server for view-model unit tests: a conversation store with the server's paging
 * rules, and scripted failures. (The UI tests run against the real backend.)
 */
public class FakeApi implements MessengerApi {
    public final User me;
    public final Map<String, User> users = new HashMap<>();
    public final List<Message> messages = new ArrayList<>();
    public final Deque<Status> sendFailures = new ConcurrentLinkedDeque<>();
    public final Deque<Status> searchFailures = new ConcurrentLinkedDeque<>();
    public final List<String> sentClientIds = new ArrayList<>();
    public final List<Long> markedRead = new ArrayList<>();
    /** The account's sessions, the first one being this app's own. */
    public final List<Session> sessions = new ArrayList<>();
    public String password = "correct horse battery";
    public boolean deleted;
    public FeedListener feedListener;
    public long subscribedAfter = -1;
    private final AtomicLong ids = new AtomicLong();

    public FakeApi(User me) {
        this.me = me;
        users.put(me.getId(), me);
    }

    public static User user(String id, String name) {
        return User.newBuilder().setId(id).setUsername(name).setDisplayName(name.toUpperCase()).build();
    }

    /** Stores a message as the server would and returns it. */
    public synchronized Message store(String from, String to, String text, String clientId) {
        Message message = Message.newBuilder().setId(ids.incrementAndGet()).setSenderId(from).setRecipientId(to)
                .setText(text).setClientMessageId(clientId)
                .setSentAt(Timestamp.newBuilder().setSeconds(1_700_000_000L + ids.get() * 60)).build();
        messages.add(message);
        return message;
    }

    @Override
    public String serverAddress() {
        return "test:1";
    }

    @Override
    public User register(String username, String displayName, String password) {
        throw new UnsupportedOperationException();
    }

    @Override
    public LoginResponse login(String username, String password) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void useToken(String token) {
    }

    @Override
    public void logout() {
    }

    @Override
    public User me() {
        return me;
    }

    @Override
    public User user(String id) {
        return users.get(id);
    }

    @Override
    public List<User> searchUsers(String prefix) {
        Status failure = searchFailures.poll();
        if (failure != null) {
            throw failure.asRuntimeException();
        }
        return users.values().stream().filter(user -> user.getUsername().startsWith(prefix)).toList();
    }

    @Override
    public ListConversationsResponse conversations() {
        return ListConversationsResponse.newBuilder().setFeedSeq(7).build();
    }

    @Override
    public synchronized GetHistoryResponse history(String peerId, long beforeId, int limit) {
        List<Message> between = messages.stream()
                .filter(m -> (m.getSenderId().equals(peerId) && m.getRecipientId().equals(me.getId()))
                        || (m.getSenderId().equals(me.getId()) && m.getRecipientId().equals(peerId)))
                .filter(m -> beforeId == 0 || m.getId() < beforeId)
                .sorted((a, b) -> Long.compare(b.getId(), a.getId()))
                .toList();
        return GetHistoryResponse.newBuilder()
                .addAllMessages(between.subList(0, Math.min(limit, between.size())))
                .setHasMore(between.size() > limit)
                .build();
    }

    @Override
    public synchronized SendMessageResponse send(String recipientId, String text, String clientMessageId) {
        sentClientIds.add(clientMessageId);
        Status failure = sendFailures.poll();
        if (failure != null) {
            throw failure.asRuntimeException();
        }
        for (Message earlier : messages) {
            if (earlier.getClientMessageId().equals(clientMessageId)) {
                return SendMessageResponse.newBuilder().setMessage(earlier).setDuplicate(true).build();
            }
        }
        return SendMessageResponse.newBuilder().setMessage(store(me.getId(), recipientId, text, clientMessageId)).build();
    }

    @Override
    public synchronized MarkReadResponse markRead(String peerId, long upToMessageId) {
        markedRead.add(upToMessageId);
        return MarkReadResponse.newBuilder().setLastReadMessageId(upToMessageId).build();
    }

    @Override
    public synchronized User updateProfile(String displayName) {
        User updated = me.toBuilder().setDisplayName(displayName.isBlank() ? me.getUsername() : displayName.strip()).build();
        users.put(me.getId(), updated);
        return updated;
    }

    @Override
    public synchronized int changePassword(String currentPassword, String newPassword) {
        checkPassword(currentPassword);
        password = newPassword;
        return revokeOtherSessions();
    }

    @Override
    public synchronized void deleteAccount(String password) {
        checkPassword(password);
        deleted = true;
        sessions.clear();
    }

    private void checkPassword(String given) {
        if (!password.equals(given)) {
            throw Status.PERMISSION_DENIED.withDescription("The password is not right").asRuntimeException();
        }
    }

    @Override
    public synchronized List<Session> sessions() {
        return List.copyOf(sessions);
    }

    @Override
    public synchronized void revokeSession(String sessionId) {
        if (!sessions.removeIf(session -> session.getId().equals(sessionId))) {
            throw Status.NOT_FOUND.withDescription("No such session").asRuntimeException();
        }
    }

    @Override
    public synchronized int revokeOtherSessions() {
        int others = (int) sessions.stream().filter(session -> !session.getCurrent()).count();
        sessions.removeIf(session -> !session.getCurrent());
        return others;
    }

    @Override
    public LiveFeed subscribe(long afterSeq, FeedListener listener) {
        subscribedAfter = afterSeq;
        feedListener = listener;
        return new LiveFeed() {
            @Override
            public void reconnectNow() {
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() {
    }
}
