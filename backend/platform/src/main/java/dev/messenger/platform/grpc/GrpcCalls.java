package dev.messenger.platform.grpc;

import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.Failures;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

import java.util.function.Supplier;

/** Runs a unary handler body and turns its outcome, whatever it is, into exactly one gRPC response. */
public final class GrpcCalls {
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
        return status(failure).asRuntimeException();
    }

    public static Status status(ApiException failure) {
        return Status.fromCode(failure.kind().grpcCode()).withDescription(failure.getMessage());
    }
}
