package dev.messenger.desktop.connection;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Server errors in plain words for the person at the keyboard. */
public final class ApiErrors {
    private ApiErrors() {
    }

    public static String describe(Throwable failure, String serverAddress) {
        if (!(failure instanceof StatusRuntimeException grpc)) {
            return "Something went wrong: " + failure.getMessage();
        }
        Status status = grpc.getStatus();
        String description = status.getDescription();
        return switch (status.getCode()) {
            case UNAVAILABLE -> "Can't reach the server at " + serverAddress + ". Check the address and that the server is running.";
            case DEADLINE_EXCEEDED -> "The server at " + serverAddress + " took too long to answer. Try again.";
            case INVALID_ARGUMENT, UNAUTHENTICATED, ALREADY_EXISTS, NOT_FOUND, PERMISSION_DENIED, RESOURCE_EXHAUSTED ->
                    description == null || description.isBlank() ? status.getCode().name() : description;
            default -> "The server had a problem (" + status.getCode() + "). Try again.";
        };
    }

    /** Failures worth retrying with the same request: the call never reached the server or may not have. */
    public static boolean isRetryable(Throwable failure) {
        if (!(failure instanceof StatusRuntimeException grpc)) {
            return false;
        }
        return switch (grpc.getStatus().getCode()) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, ABORTED -> true;
            default -> false;
        };
    }

    public static boolean isSignedOut(Throwable failure) {
        return failure instanceof StatusRuntimeException grpc && grpc.getStatus().getCode() == Status.Code.UNAUTHENTICATED;
    }
}
