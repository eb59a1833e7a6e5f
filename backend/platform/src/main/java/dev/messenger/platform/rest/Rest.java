package dev.messenger.platform.rest;

import com.google.protobuf.Message;
import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.ErrorKind;
import dev.messenger.platform.limits.RetryAfter;
import dev.messenger.platform.service.Ids;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/** Reading requests and writing responses for the REST routes, the same way everywhere. */
public final class Rest {
    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";
    /**
     * The largest JSON body accepted (as {@code server.max-payload-size} in application.yaml). Checked
     * here too because Helidon enforces max-payload-size only on HTTP/1.1, not on HTTP/2 (h2c), which
     * REST clients of this gRPC+REST port often speak.
     */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private Rest() {
    }

    /**
     * Parses the JSON body into the builder; a missing body counts as {@code {}} only when allowed.
     * An empty entity ({@code Content-Length: 0}, as most clients send for a body-less POST) is a
     * missing body, whatever its Content-Type.
     */
    public static <B extends Message.Builder> B body(ServerRequest request, B builder, boolean bodyRequired) {
        byte[] bytes = request.content().hasEntity() ? boundedEntity(request) : new byte[0];
        if (bytes.length == 0) {
            if (bodyRequired) {
                throw ApiException.invalid("A JSON request body is required");
            }
            return builder;
        }
        Optional<HttpMediaType> contentType = request.headers().contentType();
        if (contentType.isEmpty() || !contentType.get().test(io.helidon.common.media.type.MediaTypes.APPLICATION_JSON)) {
            throw new ApiException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json");
        }
        String json = strictUtf8(bytes);
        if (json.isBlank()) {
            if (bodyRequired) {
                throw ApiException.invalid("A JSON request body is required");
            }
            return builder;
        }
        return ProtoJson.parse(json, builder);
    }

    public static void send(ServerResponse response, Status status, Message body) {
        response.status(status);
        response.header(HeaderNames.CONTENT_TYPE, JSON);
        response.send(ProtoJson.print(body).getBytes(StandardCharsets.UTF_8));
    }

    public static void problem(ServerResponse response, ApiException failure) {
        ErrorKind kind = failure.kind();
        response.status(Status.create(kind.httpStatus()));
        response.header(HeaderNames.CONTENT_TYPE, PROBLEM_JSON);
        if (kind == ErrorKind.UNAUTHENTICATED) {
            response.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        failure.retryAfter().ifPresent(wait -> response.header(HeaderNames.RETRY_AFTER, Long.toString(RetryAfter.seconds(wait))));
        response.send(problemBody(failure));
    }

    /** The RFC 9457 problem details of a failure, as UTF-8 JSON. */
    public static byte[] problemBody(ApiException failure) {
        ErrorKind kind = failure.kind();
        return Json.createObjectBuilder()
                .add("type", kind.problemType())
                .add("title", kind.title())
                .add("status", kind.httpStatus())
                .add("detail", failure.getMessage())
                .build()
                .toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    public static Optional<String> query(ServerRequest request, String name) {
        var query = request.query();
        if (!query.contains(name)) {
            return Optional.empty();
        }
        if (query.all(name).size() > 1) {
            throw ApiException.invalid("Query parameter '" + name + "' is given more than once");
        }
        return Optional.of(query.get(name));
    }

    public static Optional<UUID> queryUuid(ServerRequest request, String name) {
        return query(request, name).map(value -> Ids.uuid(value, name));
    }

    public static long queryLong(ServerRequest request, String name, long defaultValue) {
        return query(request, name).map(value -> parseLong(value, name)).orElse(defaultValue);
    }

    private static long parseLong(String value, String name) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("'" + name + "' must be an integer");
        }
    }

    /** The request body, at most {@link #MAX_BODY_BYTES}; PAYLOAD_TOO_LARGE (413) beyond, without reading it all. */
    private static byte[] boundedEntity(ServerRequest request) {
        if (request.headers().contentLength().orElse(0) > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = request.content().inputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(ErrorKind.PAYLOAD_TOO_LARGE, "The request body must be at most " + MAX_BODY_BYTES + " bytes");
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.invalid("The request body is not valid UTF-8");
        }
    }
}
