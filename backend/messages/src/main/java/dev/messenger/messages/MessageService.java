package dev.messenger.messages;

import dev.messenger.api.v1.Conversation;
import dev.messenger.api.v1.Member;
import dev.messenger.api.v1.Message;
import dev.messenger.platform.auth.Caller;
import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.limits.ClientAddress;
import dev.messenger.platform.limits.RateLimit;
import dev.messenger.platform.service.Ids;
import dev.messenger.platform.service.Paging;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/** Messages' behaviour, shared by the gRPC and REST front doors. */
public final class MessageService {
    private static final Logger LOG = Logger.getLogger(MessageService.class.getName());
    private static final UUID FIRST_USER_ID = new UUID(0, 0);

    private final MessageRepository messages;
    private final ConversationRepository conversations;
    private final SendBatcher sends;
    private final RateLimit sendLimit;
    private final int groupMaxMembers;

    MessageService(MessageRepository messages, ConversationRepository conversations, SendBatcher sends, RateLimit sendLimit,
                   int groupMaxMembers) {
        this.messages = messages;
        this.conversations = conversations;
        this.sends = sends;
        this.sendLimit = sendLimit;
        this.groupMaxMembers = groupMaxMembers;
    }

    public record SendResult(Message message, boolean duplicate) {
    }

    public record History(List<Message> messages, boolean hasMore) {
    }

    public record ConversationPage(List<Conversation> conversations, String nextPageToken, long feedSeq) {
    }

    public record MemberPage(List<Member> members, String nextPageToken) {
    }

    public SendResult send(Caller caller, ClientAddress from, ConversationRef to, String text, String clientMessageId) {
        sendLimit.check(from, caller.userId());
        String validText = MessageRules.text(text);
        String clientId = MessageRules.clientMessageId(clientMessageId);
        MessageRepository.Draft draft = switch (to) {
            case ConversationRef.WithPeer(UUID peer) -> {
                if (peer.equals(caller.userId())) {
                    throw ApiException.invalid("You cannot send a message to yourself");
                }
                yield MessageRepository.Draft.direct(caller.userId(), peer, validText, clientId);
            }
            case ConversationRef.ById(UUID conversation) -> {
                var access = conversations.access(conversation, caller.userId())
                        .filter(ConversationRepository.Access::active)
                        .orElseThrow(() -> noConversation(conversation));
                yield access.group()
                        ? MessageRepository.Draft.toGroup(caller.userId(), conversation, validText, clientId)
                        : MessageRepository.Draft.direct(caller.userId(), access.peer(), validText, clientId);
            }
        };
        return switch (sends.store(draft)) {
            case MessageRepository.Outcome.Stored(MessageRepository.Sent sent) -> {
                LOG.fine(() -> "Stored message " + sent.message().getId() + " from " + caller.userId() + " in "
                        + draft.conversationId() + " (" + sent.seqs().size() + " feeds)");
                yield new SendResult(sent.message(), false);
            }
            // Read after the commit that found the earlier message, so it is there to read.
            case MessageRepository.Outcome.ClientIdTaken() ->
                    duplicate(messages.findByClientId(caller.userId(), clientId).orElseThrow(), draft.conversationId(), validText);
            case MessageRepository.Outcome.UnknownRecipient() -> throw ApiException.notFound("No user with id " + draft.recipientId());
            case MessageRepository.Outcome.RecipientDeleted() ->
                    throw ApiException.notFound("User " + draft.recipientId() + " deleted their account");
            case MessageRepository.Outcome.SenderDeleted() -> throw ApiException.unauthenticated("Your account was deleted");
            case MessageRepository.Outcome.NotMember() -> throw noConversation(draft.conversationId());
        };
    }

    private static SendResult duplicate(Message earlier, UUID conversation, String text) {
        if (!earlier.getConversationId().equals(conversation.toString()) || !earlier.getText().equals(text)) {
            throw ApiException.alreadyExists("clientMessageId was already used for a different message");
        }
        return new SendResult(earlier, true);
    }

    /**
     * By id, a conversation the caller has no part in is NOT_FOUND, as one that does not exist: ids
     * cannot be probed. A group's member reads the messages of the periods they were a member in.
     * With a peer, a conversation not begun yet is empty.
     */
    public History history(Caller caller, ConversationRef conversation, long beforeId, long limit) {
        long before = MessageRules.beforeId(beforeId);
        int pageSize = Paging.limit(limit, MessageRules.HISTORY_DEFAULT_LIMIT, Paging.MAX_PAGE);
        UUID id = conversation.idFor(caller.userId());
        List<ConversationRepository.Period> periods = switch (conversation) {
            case ConversationRef.ById byId -> conversations.access(id, caller.userId())
                    .map(ConversationRepository.Access::periods)
                    .orElseThrow(() -> noConversation(id));
            case ConversationRef.WithPeer withPeer -> List.of(ConversationRepository.Period.ALL);
        };
        List<Message> page = messages.history(id, periods, before, pageSize + 1);
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
        List<Conversation> found = conversations.conversations(caller.userId(), before, pageSize + 1);
        if (found.size() <= pageSize) {
            return new ConversationPage(found, "", feedSeq);
        }
        List<Conversation> page = List.copyOf(found.subList(0, pageSize));
        return new ConversationPage(page, Long.toString(page.getLast().getLastMessage().getId()), feedSeq);
    }

    /** A conversation the caller is or was a member of. */
    public Conversation conversation(Caller caller, UUID id) {
        return conversations.conversation(id, caller.userId()).orElseThrow(() -> noConversation(id));
    }

    /** The current members of a conversation the caller belongs to, paged by user id. */
    public MemberPage members(Caller caller, UUID id, long limit, String pageToken) {
        int pageSize = Paging.limit(limit, MessageRules.MEMBERS_DEFAULT_LIMIT, Paging.MAX_PAGE);
        UUID after = pageToken == null || pageToken.isEmpty() ? FIRST_USER_ID : decodeMemberToken(pageToken);
        conversations.access(id, caller.userId())
                .filter(ConversationRepository.Access::active)
                .orElseThrow(() -> noConversation(id));
        List<Member> found = conversations.members(id, after, pageSize + 1);
        if (found.size() <= pageSize) {
            return new MemberPage(found, "");
        }
        List<Member> page = List.copyOf(found.subList(0, pageSize));
        return new MemberPage(page, page.getLast().getUser().getId());
    }

    /**
     * A group of the caller (its admin) and the given users; repeats and the caller among them are
     * ignored. All of them must exist and not have deleted their account: otherwise nothing is created.
     */
    public Conversation createGroup(Caller caller, String title, List<String> memberIds) {
        String validTitle = MessageRules.groupTitle(title);
        if (memberIds.size() >= 2 * groupMaxMembers) {
            throw tooMany();
        }
        Set<UUID> others = new LinkedHashSet<>();
        for (int i = 0; i < memberIds.size(); i++) {
            UUID member = Ids.uuid(memberIds.get(i), "memberIds[" + i + "]");
            if (!member.equals(caller.userId())) {
                others.add(member);
            }
        }
        if (others.size() + 1 > groupMaxMembers) {
            throw tooMany();
        }
        return switch (conversations.createGroup(caller.userId(), validTitle, new ArrayList<>(others))) {
            case ConversationRepository.Creation.Created(Conversation created) -> {
                LOG.fine(() -> "Group " + created.getId() + " created by " + caller.userId() + " with " + others.size() + " others");
                yield created;
            }
            case ConversationRepository.Creation.Unknown(List<UUID> users) -> throw unknownUsers(users);
            case ConversationRepository.Creation.CreatorDeleted() -> throw ApiException.unauthenticated("Your account was deleted");
        };
    }

    /** Any member may add people; they see the group's messages from then on. */
    public Conversation addMembers(Caller caller, UUID group, List<String> userIds) {
        if (userIds.isEmpty()) {
            throw ApiException.invalid("userIds is required");
        }
        if (userIds.size() >= 2 * groupMaxMembers) {
            throw tooMany();
        }
        Set<UUID> users = new LinkedHashSet<>();
        for (int i = 0; i < userIds.size(); i++) {
            users.add(Ids.uuid(userIds.get(i), "userIds[" + i + "]"));
        }
        users.remove(caller.userId());
        change(caller, group, new ConversationRepository.Change.Add(new ArrayList<>(users)));
        return conversation(caller, group);
    }

    /** Admins only; the removed member keeps their history up to the removal. */
    public Conversation removeMember(Caller caller, UUID group, UUID user) {
        change(caller, group, new ConversationRepository.Change.Remove(user));
        return conversation(caller, group);
    }

    public void leave(Caller caller, UUID group) {
        change(caller, group, new ConversationRepository.Change.Leave());
    }

    /** Admins only. */
    public Conversation rename(Caller caller, UUID group, String title) {
        change(caller, group, new ConversationRepository.Change.Rename(MessageRules.groupTitle(title)));
        return conversation(caller, group);
    }

    private void change(Caller caller, UUID group, ConversationRepository.Change change) {
        switch (conversations.change(group, caller.userId(), change, groupMaxMembers)) {
            case ConversationRepository.ChangeOutcome.Changed(Message entry) ->
                    LOG.fine(() -> "Group " + group + " changed by " + caller.userId() + " (entry " + entry.getId() + ")");
            case ConversationRepository.ChangeOutcome.Unchanged() -> {
                // Already so: nothing to record.
            }
            case ConversationRepository.ChangeOutcome.NoGroup() -> throw noConversation(group);
            case ConversationRepository.ChangeOutcome.NotAGroup() ->
                    throw ApiException.invalid("Conversation " + group + " is a direct one: it has no members to change");
            case ConversationRepository.ChangeOutcome.AdminsOnly() -> throw ApiException.permissionDenied("Only the group's admins may do this");
            case ConversationRepository.ChangeOutcome.NoSuchMember() -> throw ApiException.notFound("No such member in " + group);
            case ConversationRepository.ChangeOutcome.LastAdmin() ->
                    throw ApiException.permissionDenied("The group's last admin cannot be removed");
            case ConversationRepository.ChangeOutcome.TooMany() -> throw tooMany();
            case ConversationRepository.ChangeOutcome.Unknown(List<UUID> users) -> throw unknownUsers(users);
        }
    }

    /** Users that do not exist or deleted their account: the first named, the rest counted. */
    private static ApiException unknownUsers(List<UUID> users) {
        return ApiException.notFound("No user with id " + users.getFirst()
                + (users.size() > 1 ? " (and " + (users.size() - 1) + " more)" : ""));
    }

    private ApiException tooMany() {
        return ApiException.invalid("A group has at most " + groupMaxMembers + " members, its creator included");
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
        return conversations.access(id, caller.userId()).isPresent()
                ? new ConversationRef.ById(id) : new ConversationRef.WithPeer(id);
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

    private static UUID decodeMemberToken(String token) {
        try {
            return Ids.uuid(token, "pageToken");
        } catch (ApiException e) {
            throw ApiException.invalid("pageToken is not one this server issued");
        }
    }
}
