package dev.messenger.messages;

import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.service.Ids;

import java.util.UUID;

/**
 * Which conversation a request means: by its id, or (the original form, for direct conversations)
 * by the other member's user id.
 */
public sealed interface ConversationRef {
    record ById(UUID conversationId) implements ConversationRef {
    }

    record WithPeer(UUID peerId) implements ConversationRef {
    }

    /**
     * Exactly one of the two fields, each named as the client wrote it; an empty string is "not given".
     */
    static ConversationRef of(String peerId, String peerField, String conversationId, String conversationField) {
        boolean byPeer = peerId != null && !peerId.isEmpty();
        boolean byId = conversationId != null && !conversationId.isEmpty();
        if (byPeer == byId) {
            throw ApiException.invalid("Give exactly one of " + peerField + " and " + conversationField);
        }
        return byId ? new ById(Ids.uuid(conversationId, conversationField)) : new WithPeer(Ids.uuid(peerId, peerField));
    }

    /** The conversation's id, as the caller means it. */
    default UUID idFor(UUID caller) {
        return switch (this) {
            case ById byId -> byId.conversationId();
            case WithPeer withPeer -> DirectConversation.id(caller, withPeer.peerId());
        };
    }
}
