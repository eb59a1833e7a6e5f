package dev.messenger.platform.helidon;

import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.ErrorKind;
import dev.messenger.platform.grpc.GrpcCalls;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * Helidon defect 14 (ARCHITECTURE.md's table): {@code server.max-concurrent-requests} never counts
 * gRPC calls, so without this a server works on as many at once as connections times streams
 * allow, each holding Helidon's buffers (about 32 KiB) and a thread while it waits for the
 * database. This lets at most {@code maxCalls} unary calls run their handler at once and answers
 * the rest RESOURCE_EXHAUSTED at once ("try again in a second").
 *
 * <p>A call is admitted when its request is complete (half-close), not when its headers arrive:
 * otherwise a client that opens streams and never sends their request (a slowloris) would hold
 * every place and lock everyone out. Streams waiting for their request are bounded per connection
 * instead ({@code max-concurrent-streams}). Live feeds are not counted: they are long-lived by
 * design and bounded per user. Registered on the gRPC routing, so it covers every service, ours
 * and Helidon's.
 */
public final class CallLimitInterceptor implements ServerInterceptor {
    private static final ApiException BUSY = new ApiException(ErrorKind.RESOURCE_EXHAUSTED,
            "The server is busy; try again in a moment", Duration.ofSeconds(1));

    private final int maxCalls;
    private final Semaphore admitted;

    public CallLimitInterceptor(int maxCalls) {
        if (maxCalls < 1) {
            throw new IllegalArgumentException("messenger.max-concurrent-calls must be positive");
        }
        this.maxCalls = maxCalls;
        this.admitted = new Semaphore(maxCalls);
    }

    /** Unary calls whose handler is running now. */
    public int inFlight() {
        return maxCalls - admitted.availablePermits();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (call.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY) {
            return next.startCall(call, headers);
        }
        Place place = new Place();
        ServerCall<Q, R> releasing = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                place.release();
                super.close(status, trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(releasing, headers)) {
            @Override
            public void onHalfClose() {
                if (!place.take()) {
                    call.close(GrpcCalls.status(BUSY), GrpcCalls.trailers(BUSY));
                    return;
                }
                try {
                    super.onHalfClose();
                } catch (RuntimeException | Error e) {
                    place.release();
                    throw e;
                }
            }

            @Override
            public void onCancel() {
                place.release();
                super.onCancel();
            }

            @Override
            public void onComplete() {
                place.release();
                super.onComplete();
            }
        };
    }

    /** One call's place: taken at most once, given back at most once (a cancel may race the half-close). */
    private final class Place {
        private boolean taken;
        private boolean released;

        synchronized boolean take() {
            if (released || !admitted.tryAcquire()) {
                return false;
            }
            taken = true;
            return true;
        }

        synchronized void release() {
            if (taken && !released) {
                admitted.release();
            }
            released = true;
        }
    }
}
