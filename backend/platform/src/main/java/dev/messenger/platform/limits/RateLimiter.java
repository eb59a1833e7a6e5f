package dev.messenger.platform.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (a client address, an account), remembering at most {@code maxKeys}. Keys
 * whose bucket has refilled are forgotten first (they behave as new ones would); if more than that
 * many keys are busy at once (an attack from that many addresses), arbitrary ones are forgotten, so
 * memory stays bounded and the global caps (hashing gate, send queue) remain the backstop.
 */
final class RateLimiter {
    private final Rate rate;
    private final int maxKeys;
    private final LongSupplier nanoTime;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(Rate rate, int maxKeys, LongSupplier nanoTime) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be positive");
        }
        this.rate = rate;
        this.maxKeys = maxKeys;
        this.nanoTime = nanoTime;
    }

    TokenBucket.Outcome take(String key) {
        long now = nanoTime.getAsLong();
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys) {
                BoundedKeys.makeRoom(buckets, maxKeys, existing -> existing.isFull(now));
            }
            bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(rate, now));
        }
        return bucket.take(now);
    }

    int trackedKeys() {
        return buckets.size();
    }
}
