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

    @Test
    void locksAreTakenInPostgresUuidOrder() {
        // PostgreSQL compares uuids byte by byte (unsigned); UUID.compareTo compares signed longs.
        UUID low = UUID.fromString("00000000-0000-0000-0000-000000000001");
        UUID high = UUID.fromString("ffffffff-0000-0000-0000-000000000000");
        assertTrue(MessageRepository.LOCK_ORDER.compare(low, high) < 0);
        assertTrue(low.compareTo(high) > 0, "the JDK's order differs, which is why LOCK_ORDER exists");
    }
}
