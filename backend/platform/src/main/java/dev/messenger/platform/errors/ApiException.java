package dev.messenger.platform.errors;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure with a meaning for the client. Its message is shown to the client as is, so it must
 * never carry internals (SQL, stack traces, other users' data).
 */
public final class ApiException extends RuntimeException {
    private final ErrorKind kind;
    private final Optional<Duration> retryAfter;

    public ApiException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    /** @param retryAfter when a retry can succeed (a rate limit's wait); null when unknown */
    public ApiException(ErrorKind kind, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAfter = Optional.ofNullable(retryAfter);
    }

    public ErrorKind kind() {
        return kind;
    }

    /** Told to clients as HTTP {@code Retry-After} and the gRPC trailer {@code retry-after}. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    public static ApiException invalid(String message) {
        return new ApiException(ErrorKind.INVALID_ARGUMENT, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(ErrorKind.NOT_FOUND, message);
    }

    public static ApiException unauthenticated(String message) {
        return new ApiException(ErrorKind.UNAUTHENTICATED, message);
    }

    public static ApiException permissionDenied(String message) {
        return new ApiException(ErrorKind.PERMISSION_DENIED, message);
    }

    public static ApiException alreadyExists(String message) {
        return new ApiException(ErrorKind.ALREADY_EXISTS, message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(ErrorKind.UNAVAILABLE, message);
    }
}
