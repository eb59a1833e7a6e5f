package dev.messenger.platform.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The callers of recently used tokens, so that most calls authenticate without a database round
 * trip. Sound only while it hears of every revocation: {@link SessionRevocationListener} tells it
 * of each one (PostgreSQL notifies every server at commit), and while that listener is not
 * listening the cache is {@linkplain #deaf() off} and every call goes to the database.
 *
 * <p>A look-up that was in flight while a revocation arrived is not cached: each revocation moves
 * a generation counter, and an entry whose look-up began under an older generation is taken out
 * again.
 */
public final class SessionCache implements RevocationObserver {
    private record Entry(Caller caller, Instant validUntil) {
    }

    private final Map<String, Entry> byTokenHash = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final Duration maxAge;
    private final int maxEntries;
    private volatile boolean listening;

    /**
     * @param maxAge     how long an entry is trusted at most, even with no revocation heard (a
     *                   safety net; revocations take effect at once regardless)
     * @param maxEntries beyond this the cache is emptied rather than grown
     */
    public SessionCache(Duration maxAge, int maxEntries) {
        if (maxAge.isNegative() || maxAge.isZero() || maxEntries < 1) {
            throw new IllegalArgumentException("maxAge and maxEntries must be positive");
        }
        this.maxAge = maxAge;
        this.maxEntries = maxEntries;
    }

    /** Read before a database look-up and handed to {@link #put}. */
    long generation() {
        return generation.get();
    }

    Optional<Caller> get(byte[] tokenHash, Instant now) {
        if (!listening) {
            return Optional.empty();
        }
        Entry entry = byTokenHash.get(key(tokenHash));
        if (entry == null || !now.isBefore(entry.validUntil())) {
            return Optional.empty();
        }
        return Optional.of(entry.caller());
    }

    /**
     * Remembers a session the database just confirmed.
     *
     * @param generationBefore {@link #generation()} as read before that database look-up
     */
    void put(byte[] tokenHash, Caller caller, Instant sessionExpiresAt, long generationBefore, Instant now) {
        if (!listening) {
            return;
        }
        if (byTokenHash.size() >= maxEntries) {
            byTokenHash.values().removeIf(entry -> !now.isBefore(entry.validUntil()));
            if (byTokenHash.size() >= maxEntries) {
                byTokenHash.clear();
            }
        }
        String key = key(tokenHash);
        Instant cappedAt = now.plus(maxAge);
        Entry entry = new Entry(caller, sessionExpiresAt.isBefore(cappedAt) ? sessionExpiresAt : cappedAt);
        byTokenHash.put(key, entry);
        // A revocation counted after the look-up began may have missed this entry: undo it.
        if (generation.get() != generationBefore) {
            byTokenHash.remove(key, entry);
        }
    }

    /** A session was revoked (on any server). */
    @Override
    public void revoked(UUID sessionId) {
        generation.incrementAndGet();
        byTokenHash.values().removeIf(entry -> entry.caller().sessionId().equals(sessionId));
    }

    /** Revocations can no longer be heard: forget everything and look every token up until {@link #hearing()}. */
    @Override
    public void deaf() {
        listening = false;
        generation.incrementAndGet();
        byTokenHash.clear();
    }

    /** Revocations are heard again (from now on); what was cached before may have been revoked meanwhile. */
    @Override
    public void hearing() {
        generation.incrementAndGet();
        byTokenHash.clear();
        listening = true;
    }

    public boolean listening() {
        return listening;
    }

    public int size() {
        return byTokenHash.size();
    }

    private static String key(byte[] tokenHash) {
        return HexFormat.of().formatHex(tokenHash);
    }
}
