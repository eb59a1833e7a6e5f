package dev.messenger.platform.errors;

import io.grpc.Status;

/**
 * Every failure a client can see, mapped once to its gRPC status, its HTTP status and the stable
 * problem type that REST clients match on.
 */
public enum ErrorKind {
    INVALID_ARGUMENT(Status.Code.INVALID_ARGUMENT, 400, "invalid-argument", "Invalid request"),
    UNAUTHENTICATED(Status.Code.UNAUTHENTICATED, 401, "unauthenticated", "Not signed in"),
    PERMISSION_DENIED(Status.Code.PERMISSION_DENIED, 403, "permission-denied", "Not allowed"),
    NOT_FOUND(Status.Code.NOT_FOUND, 404, "not-found", "Not found"),
    ALREADY_EXISTS(Status.Code.ALREADY_EXISTS, 409, "already-exists", "Already exists"),
    PAYLOAD_TOO_LARGE(Status.Code.RESOURCE_EXHAUSTED, 413, "payload-too-large", "Request too large"),
    UNSUPPORTED_MEDIA_TYPE(Status.Code.INVALID_ARGUMENT, 415, "unsupported-media-type", "Unsupported media type"),
    RESOURCE_EXHAUSTED(Status.Code.RESOURCE_EXHAUSTED, 429, "resource-exhausted", "Too many requests"),
    UNAVAILABLE(Status.Code.UNAVAILABLE, 503, "unavailable", "Temporarily unavailable"),
    INTERNAL(Status.Code.INTERNAL, 500, "internal", "Internal error");

    /** Problem types are URIs relative to this base; clients compare the whole string. */
    public static final String TYPE_BASE = "https://messenger.dev/problems/";

    private final Status.Code grpcCode;
    private final int httpStatus;
    private final String typeSlug;
    private final String title;

    ErrorKind(Status.Code grpcCode, int httpStatus, String typeSlug, String title) {
        this.grpcCode = grpcCode;
        this.httpStatus = httpStatus;
        this.typeSlug = typeSlug;
        this.title = title;
    }

    public Status.Code grpcCode() {
        return grpcCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String problemType() {
        return TYPE_BASE + typeSlug;
    }

    public String title() {
        return title;
    }
}
