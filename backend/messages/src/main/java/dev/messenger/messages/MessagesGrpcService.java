package dev.messenger.messages;

import dev.messenger.api.v1.AddMembersRequest;
import dev.messenger.api.v1.AddMembersResponse;
import dev.messenger.api.v1.CreateGroupRequest;
import dev.messenger.api.v1.CreateGroupResponse;
import dev.messenger.api.v1.GetConversationRequest;
import dev.messenger.api.v1.GetConversationResponse;
import dev.messenger.api.v1.LeaveConversationRequest;
import dev.messenger.api.v1.LeaveConversationResponse;
import dev.messenger.api.v1.ListMembersRequest;
import dev.messenger.api.v1.ListMembersResponse;
import dev.messenger.api.v1.GetHistoryRequest;
import dev.messenger.api.v1.GetHistoryResponse;
import dev.messenger.api.v1.ListConversationsRequest;
import dev.messenger.api.v1.ListConversationsResponse;
import dev.messenger.api.v1.MarkReadRequest;
import dev.messenger.api.v1.RemoveMemberRequest;
import dev.messenger.api.v1.RemoveMemberResponse;
import dev.messenger.api.v1.RenameGroupRequest;
import dev.messenger.api.v1.RenameGroupResponse;
import dev.messenger.api.v1.MarkReadResponse;
import dev.messenger.api.v1.MessagesServiceGrpc;
import dev.messenger.api.v1.SendMessageRequest;
import dev.messenger.api.v1.SendMessageResponse;
import dev.messenger.platform.grpc.AuthInterceptor;
import dev.messenger.platform.grpc.GrpcCalls;
import dev.messenger.platform.service.Ids;
import io.grpc.stub.StreamObserver;

/** The gRPC front door of {@link MessageService}. */
final class MessagesGrpcService extends MessagesServiceGrpc.MessagesServiceImplBase {
    private final MessageService messages;

    MessagesGrpcService(MessageService messages) {
        this.messages = messages;
    }

    @Override
    public void sendMessage(SendMessageRequest request, StreamObserver<SendMessageResponse> responses) {
        GrpcCalls.unary(responses, "SendMessage", () -> sendResponse(messages.send(AuthInterceptor.caller(), AuthInterceptor.clientAddress(),
                ConversationRef.of(request.getRecipientId(), "recipientId", request.getConversationId(), "conversationId"),
                request.getText(), request.getClientMessageId())));
    }

    @Override
    public void getHistory(GetHistoryRequest request, StreamObserver<GetHistoryResponse> responses) {
        GrpcCalls.unary(responses, "GetHistory", () -> historyResponse(messages.history(AuthInterceptor.caller(),
                ConversationRef.of(request.getPeerId(), "peerId", request.getConversationId(), "conversationId"),
                request.getBeforeId(), request.getLimit())));
    }

    @Override
    public void listConversations(ListConversationsRequest request, StreamObserver<ListConversationsResponse> responses) {
        GrpcCalls.unary(responses, "ListConversations", () -> conversationsResponse(
                messages.conversations(AuthInterceptor.caller(), request.getLimit(), request.getPageToken())));
    }

    @Override
    public void markRead(MarkReadRequest request, StreamObserver<MarkReadResponse> responses) {
        GrpcCalls.unary(responses, "MarkRead", () -> markReadResponse(messages.markRead(AuthInterceptor.caller(),
                ConversationRef.of(request.getPeerId(), "peerId", request.getConversationId(), "conversationId"),
                request.getUpToMessageId())));
    }

    @Override
    public void createGroup(CreateGroupRequest request, StreamObserver<CreateGroupResponse> responses) {
        GrpcCalls.unary(responses, "CreateGroup", () -> CreateGroupResponse.newBuilder()
                .setConversation(messages.createGroup(AuthInterceptor.caller(), request.getTitle(), request.getMemberIdsList()))
                .build());
    }

    @Override
    public void getConversation(GetConversationRequest request, StreamObserver<GetConversationResponse> responses) {
        GrpcCalls.unary(responses, "GetConversation", () -> GetConversationResponse.newBuilder()
                .setConversation(messages.conversation(AuthInterceptor.caller(),
                        Ids.uuid(request.getConversationId(), "conversationId")))
                .build());
    }

    @Override
    public void listMembers(ListMembersRequest request, StreamObserver<ListMembersResponse> responses) {
        GrpcCalls.unary(responses, "ListMembers", () -> membersResponse(messages.members(AuthInterceptor.caller(),
                Ids.uuid(request.getConversationId(), "conversationId"), request.getLimit(), request.getPageToken())));
    }

    @Override
    public void addMembers(AddMembersRequest request, StreamObserver<AddMembersResponse> responses) {
        GrpcCalls.unary(responses, "AddMembers", () -> AddMembersResponse.newBuilder()
                .setConversation(messages.addMembers(AuthInterceptor.caller(), Ids.uuid(request.getConversationId(), "conversationId"),
                        request.getUserIdsList()))
                .build());
    }

    @Override
    public void removeMember(RemoveMemberRequest request, StreamObserver<RemoveMemberResponse> responses) {
        GrpcCalls.unary(responses, "RemoveMember", () -> RemoveMemberResponse.newBuilder()
                .setConversation(messages.removeMember(AuthInterceptor.caller(), Ids.uuid(request.getConversationId(), "conversationId"),
                        Ids.uuid(request.getUserId(), "userId")))
                .build());
    }

    @Override
    public void leaveConversation(LeaveConversationRequest request, StreamObserver<LeaveConversationResponse> responses) {
        GrpcCalls.unary(responses, "LeaveConversation", () -> {
            messages.leave(AuthInterceptor.caller(), Ids.uuid(request.getConversationId(), "conversationId"));
            return LeaveConversationResponse.getDefaultInstance();
        });
    }

    @Override
    public void renameGroup(RenameGroupRequest request, StreamObserver<RenameGroupResponse> responses) {
        GrpcCalls.unary(responses, "RenameGroup", () -> RenameGroupResponse.newBuilder()
                .setConversation(messages.rename(AuthInterceptor.caller(), Ids.uuid(request.getConversationId(), "conversationId"),
                        request.getTitle()))
                .build());
    }

    static ListMembersResponse membersResponse(MessageService.MemberPage page) {
        return ListMembersResponse.newBuilder().addAllMembers(page.members()).setNextPageToken(page.nextPageToken()).build();
    }

    static SendMessageResponse sendResponse(MessageService.SendResult result) {
        return SendMessageResponse.newBuilder().setMessage(result.message()).setDuplicate(result.duplicate()).build();
    }

    static GetHistoryResponse historyResponse(MessageService.History history) {
        return GetHistoryResponse.newBuilder().addAllMessages(history.messages()).setHasMore(history.hasMore()).build();
    }

    static ListConversationsResponse conversationsResponse(MessageService.ConversationPage page) {
        return ListConversationsResponse.newBuilder()
                .addAllConversations(page.conversations())
                .setNextPageToken(page.nextPageToken())
                .setFeedSeq(page.feedSeq())
                .build();
    }

    static MarkReadResponse markReadResponse(MessageRepository.ReadState state) {
        return MarkReadResponse.newBuilder()
                .setUnreadCount(state.unreadCount())
                .setLastReadMessageId(state.lastReadMessageId())
                .build();
    }
}
