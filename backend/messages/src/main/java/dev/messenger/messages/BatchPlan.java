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
 * been sent one after another in id order: each message takes the next number in the feed of every
 * member of its conversation (sender and recipient of a direct one, every current member of a
 * group), and each member's row ends where those sends one by one would have left it. Pure
 * computation, so the rules are tested without a database.
 *
 * @param sent          each message with its feed numbers, in id order
 * @param heads         each user's new feed head (the last number taken)
 * @param conversations one member row per (conversation, member) the batch touches
 */
record BatchPlan(List<MessageRepository.Sent> sent, Map<UUID, Long> heads, List<ConversationChange> conversations) {

    /**
     * How one member's row changes. When the member sent a message in the batch ({@code lastReadMessageId}
     * > 0), they have read everything up to their last one and {@code unread} counts what arrived
     * after it; otherwise {@code unread} is added to the row's count and its read position stays.
     *
     * @param peer the other member of a direct conversation; null for a group
     */
    record ConversationChange(UUID conversation, UUID owner, UUID peer, long lastMessageId, long unread, long lastReadMessageId) {
    }

    /**
     * @param currentHeads the locked feed heads of everyone who receives one of the messages
     * @param messages     the messages the batch stored, in any order
     * @param groupMembers the current members of each group conversation among the messages'
     */
    static BatchPlan of(Map<UUID, Long> currentHeads, List<Message> messages, Map<UUID, List<UUID>> groupMembers) {
        Map<UUID, Long> heads = new LinkedHashMap<>();
        Map<List<UUID>, ConversationChange> conversations = new LinkedHashMap<>();
        List<MessageRepository.Sent> sent = new ArrayList<>(messages.size());
        for (Message message : messages.stream().sorted(Comparator.comparingLong(Message::getId)).toList()) {
            UUID sender = UUID.fromString(message.getSenderId());
            UUID conversation = UUID.fromString(message.getConversationId());
            boolean direct = !message.getRecipientId().isEmpty();
            List<UUID> receivers = direct
                    ? List.of(sender, UUID.fromString(message.getRecipientId()))
                    : groupMembers.getOrDefault(conversation, List.of());
            Map<UUID, Long> seqs = new LinkedHashMap<>();
            long id = message.getId();
            for (UUID member : receivers) {
                seqs.put(member, nextSeq(heads, currentHeads, member));
                UUID peer = direct ? receivers.get(member.equals(sender) ? 1 : 0) : null;
                if (member.equals(sender)) {
                    conversations.put(List.of(conversation, member), new ConversationChange(conversation, member, peer, id, 0, id));
                } else {
                    conversations.merge(List.of(conversation, member), new ConversationChange(conversation, member, peer, id, 1, 0),
                            (before, now) -> new ConversationChange(conversation, member, peer, id, before.unread() + 1,
                                    before.lastReadMessageId()));
                }
            }
            sent.add(new MessageRepository.Sent(message, Map.copyOf(seqs)));
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
