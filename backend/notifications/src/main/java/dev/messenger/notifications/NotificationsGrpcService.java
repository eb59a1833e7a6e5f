package dev.messenger.notifications;

import dev.messenger.api.v1.FeedEvent;
import dev.messenger.api.v1.NotificationsServiceGrpc;
import dev.messenger.api.v1.SubscribeRequest;
import dev.messenger.platform.errors.Failures;
import dev.messenger.platform.grpc.AuthInterceptor;
import dev.messenger.platform.grpc.GrpcCalls;
import io.grpc.stub.StreamObserver;

/** The gRPC front door of the live feed. */
final class NotificationsGrpcService extends NotificationsServiceGrpc.NotificationsServiceImplBase {
    private final Subscriptions subscriptions;

    NotificationsGrpcService(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public void subscribe(SubscribeRequest request, StreamObserver<FeedEvent> responses) {
        try {
            subscriptions.subscribe(AuthInterceptor.caller(), AuthInterceptor.clientAddress(), request.getAfterSeq(), responses);
        } catch (RuntimeException e) {
            responses.onError(GrpcCalls.statusException(Failures.toApiException(e, "Subscribe")));
        }
    }
}
