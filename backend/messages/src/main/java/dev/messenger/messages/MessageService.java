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

    public SendResult send(Caller caller, ClientAddress from, UUID recipientId, String text, String clientMessageId) {
        sendLimit.check(from, caller.userId());
        String validText = MessageRules.text(text);
        String clientId = MessageRules.clientMessageId(clientMessageId);
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

    public History history(Caller caller, UUID peerId, long beforeId, long limit) {
        long before = MessageRules.beforeId(beforeId);
        int pageSize = Paging.limit(limit, MessageRules.HISTORY_DEFAULT_LIMIT, Paging.MAX_PAGE);
        List<Message> page = messages.history(caller.userId(), peerId, before, pageSize + 1);
        if (page.isEmpty() && !peerId.equals(caller.userId()) && !messages.userExists(peerId)) {
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

    public MessageRepository.ReadState markRead(Caller caller, UUID peerId, long upToMessageId) {
        long upTo = MessageRules.upToMessageId(upToMessageId);
        return messages.markRead(caller.userId(), peerId, upTo)
                .orElseThrow(() -> ApiException.notFound("No conversation with user " + peerId));
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
