package dev.messenger.server;

import java.util.ArrayList;
import java.util.List;

/** What a start has started so far, so that a later step's failure leaves nothing running behind it. */
final class StartedSoFar {
    private final List<AutoCloseable> started = new ArrayList<>();

    void add(AutoCloseable resource) {
        started.add(resource);
    }

    void addAll(List<? extends AutoCloseable> resources) {
        started.addAll(resources);
    }

    /** Stops everything started so far, newest first, and returns the failure with theirs attached. */
    <T extends Throwable> T stopAfter(T failure) {
        for (AutoCloseable resource : started.reversed()) {
            try {
                resource.close();
            } catch (Exception closeFailure) {
                failure.addSuppressed(closeFailure);
            }
        }
        return failure;
    }
}
