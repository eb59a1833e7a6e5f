package dev.messenger.platform.rest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.messenger.platform.errors.ApiException;

/**
 * REST bodies are the gRPC messages in protobuf's standard JSON mapping (as grpc-gateway, which the
 * original project used, does): one contract for both transports. Unknown fields are rejected so a
 * typo in a field name is an error rather than silently ignored.
 */
public final class ProtoJson {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .includingDefaultValueFields()
            .omittingInsignificantWhitespace();

    private ProtoJson() {
    }

    public static <B extends Message.Builder> B parse(String json, B builder) {
        try {
            PARSER.merge(json, builder);
            return builder;
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            // The parser's messages name the offending field and value, nothing internal.
            throw ApiException.invalid("Malformed JSON body: " + conciseMessage(e));
        }
    }

    public static String print(Message message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Every message of ours prints as JSON", e);
        }
    }

    private static String conciseMessage(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
