package dev.messenger.notifications;

import dev.messenger.api.v1.FeedMessage;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fans live feed entries out to whoever listens for a user on this instance. Listeners must not
 * block: one slow subscriber must never hold up delivery to the others.
 */
final class FeedHub {
    /** Receives a user's entries as they arrive; must return at once. */
    interface Listener {
        void offer(FeedMessage entry);
    }

    private final ConcurrentHashMap<UUID, List<Listener>> listeners = new ConcurrentHashMap<>();

    /** Adds a listener; close the returned handle to remove it. */
    AutoCloseable listen(UUID user, Listener listener) {
        listeners.computeIfAbsent(user, key -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(user, (key, current) -> {
            current.remove(listener);
            return current.isEmpty() ? null : current;
        });
    }

    void deliver(UUID user, FeedMessage entry) {
        List<Listener> current = listeners.get(user);
        if (current != null) {
            current.forEach(listener -> listener.offer(entry));
        }
    }
}
