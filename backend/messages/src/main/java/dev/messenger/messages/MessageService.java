package dev.messenger.messages;

import dev.messenger.api.v1.Conversation;
import dev.messenger.api.v1.Message;
import dev.messenger.platform.auth.Caller;
import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.limits.ClientAddress;
import dev.messenger.platform.limits.RateLimit;
import dev.messenger.platform.service.Paging;

import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/** Messages' behaviour, shared by the gRPC and REST front doors. */
public final class MessageService {
    private static final Logger LOG = Logger.getLogger(MessageService.class.getName());

    private final MessageRepository messages;
    private final SendBatcher sends;
    private final RateLimit sendLimit;

    MessageService(MessageRepository messages, SendBatcher sends, RateLimit sendLimit) {
        this.messages = messages;
        this.sends = sends;
        this.sendLimit = sendLimit;
    }

    public record SendResult(Message message, boolean duplicate) {
    }

    public record History(List<Message> messages, boolean hasMore) {
    }

    public record ConversationPage(List<Conversation> conversations, String nextPageToken, long feedSeq) {
    }

    public SendResult send(Caller caller, ClientAddress from, ConversationRef to, String text, String clientMessageId) {
        sendLimit.check(from, caller.userId());
        String validText = MessageRules.text(text);
        String clientId = MessageRules.clientMessageId(clientMessageId);
        UUID recipientId = switch (to) {
            case ConversationRef.WithPeer(UUID peer) -> peer;
            case ConversationRef.ById(UUID conversation) -> messages.directPeer(conversation, caller.userId())
                    .orElseThrow(() -> noConversation(conversation));
        };
        if (recipientId.equals(caller.userId())) {
            throw ApiException.invalid("You cannot send a message to yourself");
        }
        var draft = new MessageRepository.Draft(caller.userId(), recipientId, validText, clientId);
        return switch (sends.store(draft)) {
            case MessageRepository.Outcome.Stored(MessageRepository.Sent sent) -> {
                LOG.fine(() -> "Stored message " + sent.message().getId() + " from " + caller.userId() + " to " + recipientId
                        + " (feed seq " + sent.recipientSeq() + ")");
                yield new SendResult(sent.message(), false);
            }
            // Read after the commit that found the earlier message, so it is there to read.
            case MessageRepository.Outcome.ClientIdTaken() ->
                    duplicate(messages.findByClientId(caller.userId(), clientId).orElseThrow(), recipientId, validText);
            case MessageRepository.Outcome.UnknownRecipient() -> throw ApiException.notFound("No user with id " + recipientId);
            case MessageRepository.Outcome.RecipientDeleted() -> throw ApiException.notFound("User " + recipientId + " deleted their account");
            case MessageRepository.Outcome.SenderDeleted() -> throw ApiException.unauthenticated("Your account was deleted");
        };
    }

    private static SendResult duplicate(Message earlier, UUID recipientId, String text) {
        if (!earlier.getRecipientId().equals(recipientId.toString()) || !earlier.getText().equals(text)) {
            throw ApiException.alreadyExists("clientMessageId was already used for a different message");
        }
        return new SendResult(earlier, true);
    }

    /**
     * By id, a conversation the caller is not a member of is NOT_FOUND, as one that does not exist:
     * ids cannot be probed. With a peer, a conversation not begun yet is empty.
     */
    public History history(Caller caller, ConversationRef conversation, long beforeId, long limit) {
        long before = MessageRules.beforeId(beforeId);
        int pageSize = Paging.limit(limit, MessageRules.HISTORY_DEFAULT_LIMIT, Paging.MAX_PAGE);
        UUID id = conversation.idFor(caller.userId());
        if (conversation instanceof ConversationRef.ById && !messages.isMember(id, caller.userId())) {
            throw noConversation(id);
        }
        List<Message> page = messages.history(id, before, pageSize + 1);
        if (page.isEmpty() && conversation instanceof ConversationRef.WithPeer(UUID peerId)
                && !peerId.equals(caller.userId()) && !messages.userExists(peerId)) {
            throw ApiException.notFound("No user with id " + peerId);
        }
        boolean hasMore = page.size() > pageSize;
        return new History(hasMore ? List.copyOf(page.subList(0, pageSize)) : page, hasMore);
    }

    public ConversationPage conversations(Caller caller, long limit, String pageToken) {
        int pageSize = Paging.limit(limit, MessageRules.CONVERSATIONS_DEFAULT_LIMIT, Paging.MAX_PAGE);
        long before = pageToken == null || pageToken.isEmpty() ? Long.MAX_VALUE : decodePageToken(pageToken);
        // Read the feed position first: whatever arrives after it is in the feed, even if the
        // list below already shows it (clients drop repeats by message id).
        long feedSeq = messages.feedHead(caller.userId());
        List<Conversation> found = messages.conversations(caller.userId(), before, pageSize + 1);
        if (found.size() <= pageSize) {
            return new ConversationPage(found, "", feedSeq);
        }
        List<Conversation> page = List.copyOf(found.subList(0, pageSize));
        return new ConversationPage(page, Long.toString(page.getLast().getLastMessage().getId()), feedSeq);
    }

    public MessageRepository.ReadState markRead(Caller caller, ConversationRef conversation, long upToMessageId) {
        long upTo = MessageRules.upToMessageId(upToMessageId);
        UUID id = conversation.idFor(caller.userId());
        return messages.markRead(id, caller.userId(), upTo).orElseThrow(() -> switch (conversation) {
            case ConversationRef.WithPeer(UUID peer) -> ApiException.notFound("No conversation with user " + peer);
            case ConversationRef.ById byId -> noConversation(id);
        });
    }

    /**
     * A REST path segment that holds a conversation id or, in the original form, the peer's user
     * id: a conversation of the caller's with that id, otherwise the direct conversation with that
     * user. (Conversation and user ids are random or name-based UUIDs: they do not collide.)
     */
    public ConversationRef conversationOrPeer(Caller caller, UUID id) {
        return messages.isMember(id, caller.userId()) ? new ConversationRef.ById(id) : new ConversationRef.WithPeer(id);
    }

    /** Whether it does not exist or the caller is not a member, the same answer. */
    private static ApiException noConversation(UUID id) {
        return ApiException.notFound("No conversation with id " + id);
    }

    private static long decodePageToken(String token) {
        try {
            long value = Long.parseLong(token);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw ApiException.invalid("pageToken is not one this server issued");
    }
}
