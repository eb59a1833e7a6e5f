package dev.messenger.platform.rest;

import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.ErrorKind;
import dev.messenger.platform.errors.Failures;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;

/** The one place REST failures become problem+json responses. */
public final class RestErrors {
    private RestErrors() {
    }

    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, (req, res, failure) -> Rest.problem(res, failure));
        routing.error(RequestException.class, (req, res, failure) -> Rest.problem(res, fromStatus(failure.status())));
        routing.error(HttpException.class, (req, res, failure) -> Rest.problem(res, fromStatus(failure.status())));
        routing.error(Throwable.class, (req, res, failure) ->
                Rest.problem(res, Failures.toApiException(failure, req.prologue().method().text() + " " + req.path().path())));
    }

    /** Helidon's own rejections (no such route, oversized or unreadable requests) keep their status but speak problem+json. */
    private static ApiException fromStatus(Status status) {
        int code = status.code();
        ErrorKind kind = switch (code) {
            case 413 -> ErrorKind.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorKind.UNSUPPORTED_MEDIA_TYPE;
            case 401 -> ErrorKind.UNAUTHENTICATED;
            case 404, 405 -> ErrorKind.NOT_FOUND;
            default -> code >= 500 ? ErrorKind.INTERNAL : ErrorKind.INVALID_ARGUMENT;
        };
        String detail = kind == ErrorKind.INTERNAL ? "Internal error" : status.reasonPhrase();
        return new ApiException(kind, detail);
    }
}
