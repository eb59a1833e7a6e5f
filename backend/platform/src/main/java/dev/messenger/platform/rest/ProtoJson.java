package dev.messenger.platform.rest;

import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.messenger.platform.errors.ApiException;
import jakarta.json.Json;
import jakarta.json.JsonConfig;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

import java.io.StringReader;
import java.util.Map;

/**
 * REST bodies are the gRPC messages in protobuf's standard JSON mapping (as grpc-gateway, which the
 * original project used, does): one contract for both transports. Unknown fields are rejected so a
 * typo in a field name is an error rather than silently ignored.
 *
 * <p>Protobuf's JSON parser is lenient where the contract is not: it takes a number or boolean for
 * a string field ({@code "username": 12345}), lets a repeated key silently override the first one,
 * and ignores anything after the first JSON value. So the body is first read strictly (duplicate
 * keys, trailing content and excessive nesting rejected) and its value types checked against the
 * message's fields; only then does protobuf's parser build the message.
 */
public final class ProtoJson {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final Map<String, Object> STRICT = Map.of(JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE);
    private static final JsonReaderFactory READERS = Json.createReaderFactory(STRICT);
    private static final JsonParserFactory PARSERS = Json.createParserFactory(STRICT);
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .includingDefaultValueFields()
            .omittingInsignificantWhitespace();

    private ProtoJson() {
    }

    public static <B extends Message.Builder> B parse(String json, B builder) {
        checkStrictly(json, builder.getDescriptorForType());
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

    /** Rejects what protobuf's parser would wrongly accept; see the class comment. */
    private static void checkStrictly(String json, Descriptors.Descriptor type) {
        JsonValue value;
        try (var reader = READERS.createReader(new StringReader(json))) {
            value = reader.readValue();
        } catch (RuntimeException e) {
            // JsonParsingException mostly; Parsson reports excessive nesting as a bare RuntimeException.
            throw ApiException.invalid("Malformed JSON body: " + conciseMessage(e));
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw ApiException.invalid("The request body must be a JSON object");
        }
        try (JsonParser parser = PARSERS.createParser(new StringReader(json))) {
            parser.next();
            parser.skipObject();
            if (parser.hasNext()) {
                throw ApiException.invalid("Malformed JSON body: unexpected content after the JSON object");
            }
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            throw ApiException.invalid("Malformed JSON body: unexpected content after the JSON object");
        }
        checkTypes(value.asJsonObject(), type, "");
    }

    private static void checkTypes(JsonObject object, Descriptors.Descriptor type, String path) {
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
            Descriptors.FieldDescriptor field = type.findFieldByName(entry.getKey());
            if (field == null) {
                field = type.getFields().stream().filter(f -> f.getJsonName().equals(entry.getKey())).findFirst().orElse(null);
            }
            if (field == null || field.isMapField()) {
                continue; // unknown fields are reported by protobuf's parser
            }
            String name = path + entry.getKey();
            if (field.isRepeated()) {
                if (entry.getValue().getValueType() != JsonValue.ValueType.ARRAY) {
                    throw ApiException.invalid("'" + name + "' must be a JSON array");
                }
                for (JsonValue element : entry.getValue().asJsonArray()) {
                    checkValue(element, field, name);
                }
            } else {
                checkValue(entry.getValue(), field, name);
            }
        }
    }

    private static void checkValue(JsonValue value, Descriptors.FieldDescriptor field, String name) {
        JsonValue.ValueType kind = value.getValueType();
        boolean ok = switch (field.getJavaType()) {
            case STRING, BYTE_STRING -> kind == JsonValue.ValueType.STRING;
            case BOOLEAN -> kind == JsonValue.ValueType.TRUE || kind == JsonValue.ValueType.FALSE;
            // Protobuf's JSON form: integers (int64 in particular) as a number or a decimal string.
            case INT, LONG, FLOAT, DOUBLE, ENUM -> kind == JsonValue.ValueType.NUMBER || kind == JsonValue.ValueType.STRING;
            case MESSAGE -> {
                if (field.getMessageType().getFile().getPackage().equals("google.protobuf")) {
                    yield kind != JsonValue.ValueType.NULL; // well-known types have their own forms; protobuf checks them
                }
                if (kind == JsonValue.ValueType.OBJECT) {
                    checkTypes(value.asJsonObject(), field.getMessageType(), name + ".");
                    yield true;
                }
                yield false;
            }
        };
        if (!ok) {
            throw ApiException.invalid("'" + name + "' must be " + switch (field.getJavaType()) {
                case STRING, BYTE_STRING -> "a string";
                case BOOLEAN -> "true or false";
                case INT, LONG, FLOAT, DOUBLE, ENUM -> "a number";
                case MESSAGE -> "a JSON object";
            });
        }
    }

    private static String conciseMessage(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
