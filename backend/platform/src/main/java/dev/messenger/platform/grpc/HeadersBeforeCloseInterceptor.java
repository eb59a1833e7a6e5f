package dev.messenger.platform.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Works around a Helidon 4.1.7 defect: a call closed with an error before any response message
 * reaches grpc-java clients as INTERNAL "Missing HTTP status code" instead of its real status,
 * because Helidon then sends no response headers. Sending empty headers first makes the real
 * status arrive. Must be bound per service ({@code ServerInterceptors.intercept}); Helidon's
 * routing-level interceptors are not applied to BindableService routes.
 */
public final class HeadersBeforeCloseInterceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return next.startCall(new HeadersFirstCall<>(call), headers);
    }

    private static final class HeadersFirstCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private boolean headersSent;

        HeadersFirstCall(ServerCall<Q, R> delegate) {
            super(delegate);
        }

        @Override
        public synchronized void sendHeaders(Metadata headers) {
            headersSent = true;
            super.sendHeaders(headers);
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (!headersSent) {
                headersSent = true;
                super.sendHeaders(new Metadata());
            }
            super.close(status, trailers);
        }
    }
}
