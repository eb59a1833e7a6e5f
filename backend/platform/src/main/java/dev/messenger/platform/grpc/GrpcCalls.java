package dev.messenger.platform.grpc;

import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.Failures;
import dev.messenger.platform.limits.RetryAfter;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

import java.util.function.Supplier;

/** Runs a unary handler body and turns its outcome, whatever it is, into exactly one gRPC response. */
public final class GrpcCalls {
    /**
     * The same value as HTTP's Retry-After header (seconds). Not {@code grpc-retry-pushback-ms}:
     * grpc-java clients with a retry policy retry after a pushback whatever the status code, so a
     * rate-limited call would hang in the client for the whole wait (measured: a sign-in stuck
     * until its deadline) instead of telling the user.
     */
    static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);
    private GrpcCalls() {
    }

    public static <T> void unary(StreamObserver<T> responses, String operation, Supplier<T> body) {
        T result;
        try {
            result = body.get();
        } catch (Throwable failure) {
            responses.onError(statusException(Failures.toApiException(failure, operation)));
            return;
        }
        responses.onNext(result);
        responses.onCompleted();
    }

    public static StatusRuntimeException statusException(ApiException failure) {
        return status(failure).asRuntimeException(trailers(failure));
    }

    public static Metadata trailers(ApiException failure) {
        Metadata trailers = new Metadata();
        failure.retryAfter().ifPresent(wait -> {
            trailers.put(RETRY_AFTER, Long.toString(RetryAfter.seconds(wait)));
        });
        return trailers;
    }

    public static Status status(ApiException failure) {
        return Status.fromCode(failure.kind().grpcCode()).withDescription(failure.getMessage());
    }
}
