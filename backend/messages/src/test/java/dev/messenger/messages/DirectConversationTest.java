package dev.messenger.messages;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The id the V5 migration gives existing pairs is checked against this in SchemaMigrationsTest. */
class DirectConversationTest {
    @Test
    void bothMembersGetTheSameIdAndOtherPairsAnother() {
        UUID ann = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        assertEquals(DirectConversation.id(ann, bob), DirectConversation.id(bob, ann));
        assertEquals(3, DirectConversation.id(ann, bob).version(), "name-based");
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(DirectConversation.id(ann, UUID.randomUUID()));
        }
        assertEquals(1000, ids.size());
        assertNotEquals(DirectConversation.id(ann, bob), DirectConversation.id(ann, ann));
    }
}
