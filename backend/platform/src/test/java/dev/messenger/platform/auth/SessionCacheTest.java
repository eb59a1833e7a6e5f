package dev.messenger.platform.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SessionCacheTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Instant EXPIRES = NOW.plus(Duration.ofDays(30));

    private static byte[] hash(int n) {
        return new byte[] {(byte) n, 1, 2, 3};
    }

    private static Caller caller() {
        return new Caller(UUID.randomUUID(), UUID.randomUUID(), Instant.parse("2030-01-01T00:00:00Z"));
    }

    private static SessionCache listeningCache() {
        SessionCache cache = new SessionCache(Duration.ofMinutes(1), 100);
        cache.hearing();
        return cache;
    }

    @Test
    void aConfirmedSessionIsAnsweredFromMemoryUntilItsMaxAgeOrExpiry() {
        SessionCache cache = listeningCache();
        Caller caller = caller();
        cache.put(hash(1), caller, EXPIRES, cache.generation(), NOW);
        Caller soon = caller();
        cache.put(hash(2), soon, NOW.plusSeconds(10), cache.generation(), NOW);

        assertEquals(Optional.of(caller), cache.get(hash(1), NOW.plusSeconds(59)));
        assertEquals(Optional.empty(), cache.get(hash(1), NOW.plusSeconds(60)), "max age");
        assertEquals(Optional.of(soon), cache.get(hash(2), NOW.plusSeconds(9)));
        assertEquals(Optional.empty(), cache.get(hash(2), NOW.plusSeconds(10)), "the session's own expiry");
        assertEquals(Optional.empty(), cache.get(hash(3), NOW));
    }

    @Test
    void aRevocationRemovesThatSessionOnly() {
        SessionCache cache = listeningCache();
        Caller laptop = caller();
        Caller phone = caller();
        cache.put(hash(1), laptop, EXPIRES, cache.generation(), NOW);
        cache.put(hash(2), phone, EXPIRES, cache.generation(), NOW);

        cache.revoked(laptop.sessionId());

        assertEquals(Optional.empty(), cache.get(hash(1), NOW));
        assertEquals(Optional.of(phone), cache.get(hash(2), NOW));
    }

    @Test
    void aLookUpThatARevocationOvertookIsNotCached() {
        SessionCache cache = listeningCache();
        Caller caller = caller();
        long before = cache.generation();
        // The database said yes, then a revocation arrived before the answer was cached.
        cache.revoked(caller.sessionId());
        cache.put(hash(1), caller, EXPIRES, before, NOW);

        assertEquals(Optional.empty(), cache.get(hash(1), NOW));
        assertEquals(0, cache.size());
    }

    @Test
    void whileSuspendedNothingIsAnsweredOrKeptAndResumingStartsEmpty() {
        SessionCache cache = new SessionCache(Duration.ofMinutes(1), 100);
        Caller caller = caller();
        cache.put(hash(1), caller, EXPIRES, cache.generation(), NOW);
        assertEquals(0, cache.size(), "not listening yet");

        cache.hearing();
        cache.put(hash(1), caller, EXPIRES, cache.generation(), NOW);
        cache.deaf();
        assertEquals(Optional.empty(), cache.get(hash(1), NOW));

        long beforeResume = cache.generation();
        cache.hearing();
        assertEquals(0, cache.size());
        cache.put(hash(1), caller, EXPIRES, beforeResume, NOW);
        assertEquals(0, cache.size(), "a look-up from before the resume may predate unheard revocations");
    }

    @Test
    void aFullCacheDropsExpiredEntriesThenEverything() {
        SessionCache cache = new SessionCache(Duration.ofMinutes(1), 3);
        cache.hearing();
        cache.put(hash(1), caller(), NOW.plusSeconds(1), cache.generation(), NOW);
        cache.put(hash(2), caller(), EXPIRES, cache.generation(), NOW);
        cache.put(hash(3), caller(), EXPIRES, cache.generation(), NOW);

        cache.put(hash(4), caller(), EXPIRES, cache.generation(), NOW.plusSeconds(2));
        assertEquals(3, cache.size(), "the expired entry made room");

        cache.put(hash(5), caller(), EXPIRES, cache.generation(), NOW.plusSeconds(2));
        assertEquals(1, cache.size(), "nothing expired: emptied rather than grown");
    }

    @Test
    void settingsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new SessionCache(Duration.ZERO, 10));
        assertThrows(IllegalArgumentException.class, () -> new SessionCache(Duration.ofSeconds(1), 0));
    }
}
