package dev.messenger.platform.limits;

import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How per-key memory (rate-limit buckets, sign-in failure counts) stays bounded: when a map
 * reaches its bound, entries that no longer matter are forgotten first, then arbitrary ones down
 * to 90 % of the bound, so the next sweep is at least a tenth of the bound away (amortised O(1)).
 * An arbitrary entry forgotten starts afresh at its key's next request: under an attack from more
 * keys than the bound, the global caps are the backstop.
 */
public final class BoundedKeys {
    private BoundedKeys() {
    }

    public static <V> void makeRoom(Map<String, V> map, int bound, Predicate<V> idle) {
        map.values().removeIf(idle);
        int target = bound - bound / 10;
        Iterator<String> keys = map.keySet().iterator();
        while (map.size() > target && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
