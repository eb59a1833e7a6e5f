package dev.messenger.platform.errors;

/**
 * A failure with a meaning for the client. Its message is shown to the client as is, so it must
 * never carry internals (SQL, stack traces, other users' data).
 */
public final class ApiException extends RuntimeException {
    private final ErrorKind kind;

    public ApiException(ErrorKind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
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
