package dev.messenger.platform.limits;

import dev.messenger.platform.errors.ApiException;
import dev.messenger.platform.errors.ErrorKind;
import io.helidon.metrics.api.Counter;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The limits of one operation (e.g. {@code send}): per client address, per account, or both.
 * A request over either is refused with RESOURCE_EXHAUSTED / 429 and says when to retry.
 */
public final class RateLimit {
    private static final Logger LOG = Logger.getLogger(RateLimit.class.getName());

    private final String operation;
    private final Optional<RateLimiter> perAddress;
    private final Optional<RateLimiter> perAccount;
    private final Counter refused;

    RateLimit(String operation, Optional<RateLimiter> perAddress, Optional<RateLimiter> perAccount, Counter refused) {
        this.operation = operation;
        this.perAddress = perAddress;
        this.perAccount = perAccount;
        this.refused = refused;
    }

    /** For requests made before anyone signed in (register, sign-in). */
    public void check(ClientAddress from) {
        perAddress.ifPresent(limiter -> take(limiter, from.limitKey(), "address " + from));
    }

    public void check(ClientAddress from, UUID account) {
        check(from);
        perAccount.ifPresent(limiter -> take(limiter, account.toString(), "user " + account + " at " + from));
    }

    private void take(RateLimiter limiter, String key, String who) {
        TokenBucket.Outcome outcome = limiter.take(key);
        if (outcome.taken()) {
            return;
        }
        refused.increment();
        if (outcome.firstRefusal()) {
            LOG.info(() -> "Rate limit of " + operation + " reached by " + who);
        }
        Duration retryAfter = Duration.ofNanos(outcome.waitNanos());
        throw new ApiException(ErrorKind.RESOURCE_EXHAUSTED,
                "Too many " + operation + " requests; try again in " + RetryAfter.seconds(retryAfter) + " s", retryAfter);
    }
}
