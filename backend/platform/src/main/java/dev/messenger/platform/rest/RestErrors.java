package dev.messenger.platform.rest;

import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.ErrorKind;
import dev.messenger.platform.errors.Failures;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
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

    /**
     * Helidon answers some requests before any routing runs (e.g. a body over
     * {@code server.max-payload-size}, an unparsable request line or header): these handlers make
     * those answers problem+json too instead of an empty body.
     */
    public static DirectHandlers directHandlers() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType eventType : DirectHandler.EventType.values()) {
            builder.addHandler(eventType, (request, event, status, headers, message) -> {
                ApiException problem = fromStatus(status);
                return DirectHandler.TransportResponse.builder()
                        .status(Status.create(problem.kind().httpStatus()))
                        .headers(headers)
                        .header(HeaderNames.CONTENT_TYPE, Rest.PROBLEM_JSON)
                        .entity(Rest.problemBody(problem))
                        .keepAlive(event.keepAlive())
                        .build();
            });
        }
        return builder.build();
    }

    /** Helidon's own rejections (no such route, oversized or unreadable requests) keep their status but speak problem+json. */
    private static ApiException fromStatus(Status status) {
        int code = status.code();
        ErrorKind kind = switch (code) {
            case 413 -> ErrorKind.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorKind.UNSUPPORTED_MEDIA_TYPE;
            case 401 -> ErrorKind.UNAUTHENTICATED;
            case 403 -> ErrorKind.PERMISSION_DENIED;
            case 404, 405 -> ErrorKind.NOT_FOUND;
            case 429 -> ErrorKind.RESOURCE_EXHAUSTED;
            case 503 -> ErrorKind.UNAVAILABLE;
            default -> code >= 500 ? ErrorKind.INTERNAL : ErrorKind.INVALID_ARGUMENT;
        };
        String detail = kind == ErrorKind.INTERNAL ? "Internal error" : status.reasonPhrase();
        return new ApiException(kind, detail);
    }
}
