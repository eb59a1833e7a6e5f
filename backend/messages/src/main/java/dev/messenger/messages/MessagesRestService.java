package dev.messenger.messages;

import dev.messenger.api.v1.AddMembersRequest;
import dev.messenger.api.v1.AddMembersResponse;
import dev.messenger.api.v1.Conversation;
import dev.messenger.api.v1.CreateGroupRequest;
import dev.messenger.api.v1.CreateGroupResponse;
import dev.messenger.api.v1.GetConversationResponse;
import dev.messenger.api.v1.LeaveConversationResponse;
import dev.messenger.api.v1.MarkReadRequest;
import dev.messenger.api.v1.RemoveMemberResponse;
import dev.messenger.api.v1.RenameGroupRequest;
import dev.messenger.api.v1.RenameGroupResponse;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.platform.auth.Caller;
import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.rest.Rest;
import dev.messenger.platform.rest.RestAuth;
import dev.messenger.platform.service.Ids;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The REST front door of {@link MessageService}; see openapi.yaml. */
final class MessagesRestService implements HttpService {
    private final MessageService messages;
    private final RestAuth auth;

    MessagesRestService(MessageService messages, RestAuth auth) {
        this.messages = messages;
        this.auth = auth;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/messages/send", this::send)
                .get("/messages/history", this::history)
                .get("/conversations", this::conversations)
                .post("/conversations", this::createGroup)
                .get("/conversations/{id}", this::conversation)
                .get("/conversations/{id}/members", this::members)
                .post("/conversations/{id}/members", this::addMembers)
                .delete("/conversations/{id}/members/{userId}", this::removeMember)
                .post("/conversations/{id}/leave", this::leave)
                .patch("/conversations/{id}", this::rename)
                .post("/conversations/{id}/read", this::markRead);
    }

    private void send(ServerRequest req, ServerResponse res) {
        Caller caller = auth.caller(req);
        SendMessageRequest request = Rest.body(req, SendMessageRequest.newBuilder(), true).build();
        var result = messages.send(caller, auth.clientAddress(req),
                ConversationRef.of(request.getRecipientId(), "recipientId", request.getConversationId(), "conversationId"),
                request.getText(), request.getClientMessageId());
        Rest.send(res, result.duplicate() ? Status.OK_200 : Status.CREATED_201, MessagesGrpcService.sendResponse(result));
    }

    /**
     * {@code ?conversation=id}, {@code ?with=peer}, or the original project's {@code ?user1=&user2=}
     * (the caller being one of them): exactly one of the three.
     */
    private void history(ServerRequest req, ServerResponse res) {
        Caller caller = auth.caller(req);
        Optional<UUID> conversation = Rest.queryUuid(req, "conversation");
        Optional<UUID> with = Rest.queryUuid(req, "with");
        Optional<UUID> user1 = Rest.queryUuid(req, "user1");
        Optional<UUID> user2 = Rest.queryUuid(req, "user2");
        int forms = (conversation.isPresent() ? 1 : 0) + (with.isPresent() ? 1 : 0)
                + (user1.isPresent() || user2.isPresent() ? 1 : 0);
        if (forms > 1) {
            throw ApiException.invalid("Give one of 'conversation', 'with', or 'user1' and 'user2'");
        }
        ConversationRef ref;
        if (conversation.isPresent()) {
            ref = new ConversationRef.ById(conversation.get());
        } else if (with.isPresent()) {
            ref = new ConversationRef.WithPeer(with.get());
        } else if (user1.isPresent() && user2.isPresent()) {
            if (user1.get().equals(caller.userId())) {
                ref = new ConversationRef.WithPeer(user2.get());
            } else if (user2.get().equals(caller.userId())) {
                ref = new ConversationRef.WithPeer(user1.get());
            } else {
                throw ApiException.permissionDenied("You can only read conversations you are part of");
            }
        } else {
            throw ApiException.invalid("Give the conversation as 'conversation', the peer as 'with', or both 'user1' and 'user2'");
        }
        var history = messages.history(caller, ref, Rest.queryLong(req, "before", 0), Rest.queryLong(req, "limit", 0));
        Rest.send(res, Status.OK_200, MessagesGrpcService.historyResponse(history));
    }

    private void conversations(ServerRequest req, ServerResponse res) {
        Caller caller = auth.caller(req);
        var page = messages.conversations(caller, Rest.queryLong(req, "limit", 0), Rest.query(req, "pageToken").orElse(""));
        Rest.send(res, Status.OK_200, MessagesGrpcService.conversationsResponse(page));
    }

    private void createGroup(ServerRequest req, ServerResponse res) {
        Caller caller = auth.caller(req);
        CreateGroupRequest request = Rest.body(req, CreateGroupRequest.newBuilder(), true).build();
        Conversation created = messages.createGroup(caller, request.getTitle(), request.getMemberIdsList());
        Rest.send(res, Status.CREATED_201, CreateGroupResponse.newBuilder().setConversation(created).build());
    }

    private void conversation(ServerRequest req, ServerResponse res) {
        Caller caller = auth.caller(req);
        UUID id = Ids.uuid(req.path().pathParameters().get("id"), "id");
        Rest.send(res, Status.OK_200, GetConversationResponse.newBuilder().setConversation(messages.conversation(caller, id)).build());
    }

    private void members(ServerRequest req, ServerResponse res) {
        Caller caller = auth.caller(req);
        UUID id = Ids.uuid(req.path().pathParameters().get("id"), "id");
        var page = messages.members(caller, id, Rest.queryLong(req, "limit", 0), Rest.query(req, "pageToken").orElse(""));
        Rest.send(res, Status.OK_200, MessagesGrpcService.membersResponse(page));
    }

    private void addMembers(ServerRequest req, ServerResponse res) {
        Caller caller = auth.caller(req);
        UUID id = Ids.uuid(req.path().pathParameters().get("id"), "id");
        AddMembersRequest request = Rest.body(req, AddMembersRequest.newBuilder(), true).build();
        sameConversation(id, request.getConversationId());
        Conversation group = messages.addMembers(caller, id, request.getUserIdsList());
        Rest.send(res, Status.OK_200, AddMembersResponse.newBuilder().setConversation(group).build());
    }

    private void removeMember(ServerRequest req, ServerResponse res) {
        Caller caller = auth.caller(req);
        UUID id = Ids.uuid(req.path().pathParameters().get("id"), "id");
        UUID user = Ids.uuid(req.path().pathParameters().get("userId"), "userId");
        Conversation group = messages.removeMember(caller, id, user);
        Rest.send(res, Status.OK_200, RemoveMemberResponse.newBuilder().setConversation(group).build());
    }

    private void leave(ServerRequest req, ServerResponse res) {
        Caller caller = auth.caller(req);
        messages.leave(caller, Ids.uuid(req.path().pathParameters().get("id"), "id"));
        Rest.send(res, Status.OK_200, LeaveConversationResponse.getDefaultInstance());
    }

    private void rename(ServerRequest req, ServerResponse res) {
        Caller caller = auth.caller(req);
        UUID id = Ids.uuid(req.path().pathParameters().get("id"), "id");
        RenameGroupRequest request = Rest.body(req, RenameGroupRequest.newBuilder(), true).build();
        sameConversation(id, request.getConversationId());
        Conversation group = messages.rename(caller, id, request.getTitle());
        Rest.send(res, Status.OK_200, RenameGroupResponse.newBuilder().setConversation(group).build());
    }

    private static void sameConversation(UUID inPath, String inBody) {
        if (!inBody.isEmpty() && !inBody.equals(inPath.toString())) {
            throw ApiException.invalid("The body names another conversation than the path");
        }
    }

    /** The path names the conversation by its id or, as in the original project, by the peer's user id. */
    private void markRead(ServerRequest req, ServerResponse res) {
        Caller caller = auth.caller(req);
        UUID id = Ids.uuid(req.path().pathParameters().get("id"), "id");
        MarkReadRequest request = Rest.body(req, MarkReadRequest.newBuilder(), false).build();
        for (String inBody : List.of(request.getPeerId(), request.getConversationId())) {
            if (!inBody.isEmpty() && !inBody.equals(id.toString())) {
                throw ApiException.invalid("The body names another conversation than the path");
            }
        }
        var state = messages.markRead(caller, messages.conversationOrPeer(caller, id), request.getUpToMessageId());
        Rest.send(res, Status.OK_200, MessagesGrpcService.markReadResponse(state));
    }
}
