package dev.messenger.platform.limits;

/** One key's allowance; refilled lazily from the time elapsed since it was last touched. */
final class TokenBucket {
    private final double capacity;
    private final double tokensPerNano;
    private double tokens;
    private long updatedNanos;
    /** Whether the last request was refused: the first refusal of a run is logged, not every one. */
    private boolean refusing;

    TokenBucket(Rate rate, long nowNanos) {
        this.capacity = rate.burst();
        this.tokensPerNano = rate.tokensPerNano();
        this.tokens = capacity;
        this.updatedNanos = nowNanos;
    }

    /** Takes a token if there is one; otherwise says how long until there is. */
    synchronized Outcome take(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            refusing = false;
            return Outcome.TAKEN;
        }
        boolean firstRefusal = !refusing;
        refusing = true;
        return new Outcome(false, (long) Math.ceil((1 - tokens) / tokensPerNano), firstRefusal);
    }

    /** A full bucket behaves exactly like a missing one, so it can be forgotten. */
    synchronized boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= capacity;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - updatedNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * tokensPerNano);
            updatedNanos = nowNanos;
        }
    }

    /**
     * @param waitNanos    until a token is there, when refused
     * @param firstRefusal the request before this one was allowed
     */
    record Outcome(boolean taken, long waitNanos, boolean firstRefusal) {
        static final Outcome TAKEN = new Outcome(true, 0, false);
    }
}
