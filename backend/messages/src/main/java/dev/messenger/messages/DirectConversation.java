package dev.messenger.messages;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The id of the one conversation of two users: a name-based UUID of the pair, so a send knows it
 * without a lookup and creates the conversation with the first message. The same formula is in
 * the V5 migration (which gave existing pairs their ids); a test checks that the two agree.
 */
public final class DirectConversation {
    private static final byte[] NAMESPACE = "messenger-direct:".getBytes(StandardCharsets.UTF_8);

    private DirectConversation() {
    }

    public static UUID id(UUID one, UUID other) {
        boolean oneFirst = compareAsPostgres(one, other) <= 0;
        UUID low = oneFirst ? one : other;
        UUID high = oneFirst ? other : one;
        ByteBuffer name = ByteBuffer.allocate(NAMESPACE.length + 32)
                .put(NAMESPACE)
                .putLong(low.getMostSignificantBits()).putLong(low.getLeastSignificantBits())
                .putLong(high.getMostSignificantBits()).putLong(high.getLeastSignificantBits());
        return UUID.nameUUIDFromBytes(name.array());
    }

    /** PostgreSQL orders uuids by their bytes, unsigned; {@link UUID#compareTo} compares signed longs. */
    private static int compareAsPostgres(UUID a, UUID b) {
        int most = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return most != 0 ? most : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
