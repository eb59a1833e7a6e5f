package dev.messenger.platform.helidon;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Helidon defect 9 (ARCHITECTURE.md's table): when a request message cannot be parsed (not valid
 * protobuf, a string that is not UTF-8, a compressed message it cannot decompress), Helidon tells
 * the call's listener it was cancelled and never answers, so the client waits until its deadline
 * while the stream and its state stay. A cancel that the call itself does not report as cancelled
 * is that case: this answers it with INVALID_ARGUMENT. Registered on the gRPC routing, so it runs
 * for every service, ours and Helidon's (health, reflection).
 */
public final class UnreadableRequestInterceptor implements ServerInterceptor {
    private static final Logger LOG = Logger.getLogger(UnreadableRequestInterceptor.class.getName());

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            @Override
            public void onCancel() {
                if (!call.isCancelled()) {
                    String method = call.getMethodDescriptor().getFullMethodName();
                    LOG.fine(() -> "Unreadable request message for " + method);
                    try {
                        call.close(Status.INVALID_ARGUMENT.withDescription(
                                "The request is not a valid message for " + method), new Metadata());
                    } catch (RuntimeException e) {
                        LOG.log(Level.FINE, "Could not answer an unreadable request; the client is gone", e);
                    }
                }
                super.onCancel();
            }
        };
    }
}
