package dev.messenger.client;

import io.grpc.CallCredentials;
import io.grpc.Metadata;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** The {@code authorization: Bearer <token>} header on every call: the one credential our server takes. */
public final class BearerToken extends CallCredentials {
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Supplier<String> header;

    private BearerToken(Supplier<String> header) {
        this.header = header;
    }

    public static BearerToken of(String token) {
        String header = "Bearer " + token;
        return new BearerToken(() -> header);
    }

    /** For a client whose session changes (signs in and out): the token at the time of each call, none while null. */
    public static BearerToken current(Supplier<String> token) {
        return new BearerToken(() -> {
            String now = token.get();
            return now == null ? null : "Bearer " + now;
        });
    }

    /** Exactly this header value, well-formed or not (tests of what the server does with bad ones). */
    public static BearerToken rawHeader(String value) {
        return new BearerToken(() -> value);
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        String value = header.get();
        if (value != null) {
            headers.put(AUTHORIZATION, value);
        }
        applier.apply(headers);
    }
}
