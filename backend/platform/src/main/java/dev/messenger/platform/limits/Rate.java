package dev.messenger.platform.limits;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * A token-bucket allowance: up to {@code burst} requests at once, refilled at {@code refill}
 * requests every {@code per}.
 */
public record Rate(int burst, int refill, Duration per) {
    public Rate {
        if (burst < 1 || refill < 1 || per == null || per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("A rate needs burst >= 1, refill >= 1 and a positive period");
        }
    }

    /** Reads {@code burst}, {@code refill} and {@code per} (an ISO-8601 duration) of the node; all are required. */
    public static Rate from(Config node) {
        try {
            return new Rate(node.get("burst").asInt().get(), node.get("refill").asInt().get(),
                    node.get("per").as(Duration.class).get());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(node.key() + ": " + e.getMessage(), e);
        }
    }

    double tokensPerNano() {
        return refill / (double) per.toNanos();
    }
}
