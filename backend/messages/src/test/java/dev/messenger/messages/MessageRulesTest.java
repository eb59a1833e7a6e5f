package dev.messenger.messages;

import dev.messenger.platform.errors.ApiException;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageRulesTest {
    @Test
    void textIsOneTo4096CodePointsAndNotBlank() {
        assertEquals("hi", MessageRules.text("hi"));
        assertEquals("x".repeat(4096), MessageRules.text("x".repeat(4096)));
        assertEquals("👋".repeat(4096), MessageRules.text("👋".repeat(4096)), "code points, not UTF-16 units");
        for (String bad : new String[]{null, "", " ", "\n\t ", "x".repeat(4097), "👋".repeat(4097), "a\0", "\ud800"}) {
            assertThrows(ApiException.class, () -> MessageRules.text(bad));
        }
    }

    @Test
    void clientMessageIdIsOptionalAndSafe() {
        assertNull(MessageRules.clientMessageId(""));
        assertNull(MessageRules.clientMessageId(null));
        String uuid = UUID.randomUUID().toString();
        assertEquals(uuid, MessageRules.clientMessageId(uuid));
        assertThrows(ApiException.class, () -> MessageRules.clientMessageId("x".repeat(65)));
        assertThrows(ApiException.class, () -> MessageRules.clientMessageId("a b"));
        assertThrows(ApiException.class, () -> MessageRules.clientMessageId("'; --"));
    }

    @Test
    void beforeIdCursor() {
        assertEquals(Long.MAX_VALUE, MessageRules.beforeId(0));
        assertEquals(42, MessageRules.beforeId(42));
        assertThrows(ApiException.class, () -> MessageRules.beforeId(-5));
    }
}
