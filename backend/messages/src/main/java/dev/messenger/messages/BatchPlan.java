package dev.messenger.messages;

import dev.messenger.api.v1.Message;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a batch of stored messages adds to feeds and conversations, worked out as if the messages had
 * been sent one after another in id order: each message takes the next number in its sender's and its
 * recipient's feed, and each conversation row ends where those sends one by one would have left it.
 * Pure computation, so the rules are tested without a database.
 *
 * @param sent          each message with its two feed numbers, in id order
 * @param heads         each user's new feed head (the last number taken)
 * @param conversations one member row per (conversation, member) the batch touches
 */
record BatchPlan(List<MessageRepository.Sent> sent, Map<UUID, Long> heads, List<ConversationChange> conversations) {

    /**
     * How one conversation row changes. When the owner sent a message in the batch ({@code lastReadMessageId}
     * > 0), the owner has read everything up to their last one and {@code unread} counts what arrived
     * after it; otherwise {@code unread} is added to the row's count and its read position stays.
     */
    record ConversationChange(UUID conversation, UUID owner, UUID peer, long lastMessageId, long unread, long lastReadMessageId) {
    }

    /**
     * @param currentHeads the locked feed heads of every sender and recipient in {@code messages}
     * @param messages     the messages the batch stored, in any order
     */
    static BatchPlan of(Map<UUID, Long> currentHeads, List<Message> messages) {
        Map<UUID, Long> heads = new LinkedHashMap<>();
        Map<List<UUID>, ConversationChange> conversations = new LinkedHashMap<>();
        List<MessageRepository.Sent> sent = new ArrayList<>(messages.size());
        for (Message message : messages.stream().sorted(Comparator.comparingLong(Message::getId)).toList()) {
            UUID sender = UUID.fromString(message.getSenderId());
            UUID recipient = UUID.fromString(message.getRecipientId());
            long senderSeq = nextSeq(heads, currentHeads, sender);
            long recipientSeq = nextSeq(heads, currentHeads, recipient);
            sent.add(new MessageRepository.Sent(message, recipientSeq, senderSeq));
            long id = message.getId();
            UUID conversation = UUID.fromString(message.getConversationId());
            conversations.put(List.of(conversation, sender), new ConversationChange(conversation, sender, recipient, id, 0, id));
            conversations.merge(List.of(conversation, recipient), new ConversationChange(conversation, recipient, sender, id, 1, 0),
                    (before, now) -> new ConversationChange(conversation, recipient, sender, id, before.unread() + 1,
                            before.lastReadMessageId()));
        }
        return new BatchPlan(List.copyOf(sent), Map.copyOf(heads), List.copyOf(conversations.values()));
    }

    private static long nextSeq(Map<UUID, Long> heads, Map<UUID, Long> currentHeads, UUID user) {
        Long current = currentHeads.get(user);
        if (current == null) {
            throw new IllegalArgumentException("Feed head of " + user + " was not locked");
        }
        return heads.merge(user, current + 1, (before, ignored) -> before + 1);
    }
}
