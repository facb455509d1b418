package dev.upstreamguard.core.policy;


import java.time.Duration;
import java.util.Objects;

/**
 * How many requests one route may have in flight at once, and the bounds of the {@code Retry-After}
 * (RFC 9110 §10.2.3) a refused request gets. A refused request is answered 503
 * {@code connection_limit_reached} (RFC 9209 §2.3.12) by the packaging; see {@link dev.upstreamguard.core.admission.ConcurrencyLimiter}.
 *
 * @param maxConcurrent the most requests in flight on the route; {@code 0} means unlimited (the default)
 * @param minRetryAfter the least {@code Retry-After} sent, 1 s to 1 day (default {@value #DEFAULT_MIN_RETRY_AFTER_SECONDS} s)
 * @param maxRetryAfter the most {@code Retry-After} sent, {@code minRetryAfter} to 1 day
 *                      (default {@value #DEFAULT_MAX_RETRY_AFTER_SECONDS} s)
 */
public record ConcurrencyPolicy(int maxConcurrent, Duration minRetryAfter, Duration maxRetryAfter) {
    /** {@code maxConcurrent} value that means "no limit". */
    public static final int UNLIMITED = 0;
    /** Default lower bound of the computed {@code Retry-After}, in seconds. */
    public static final long DEFAULT_MIN_RETRY_AFTER_SECONDS = 1;
    /** Default upper bound of the computed {@code Retry-After}, in seconds. */
    public static final long DEFAULT_MAX_RETRY_AFTER_SECONDS = 30;

    private static final ConcurrencyPolicy DEFAULTS = new ConcurrencyPolicy(UNLIMITED,
            Duration.ofSeconds(DEFAULT_MIN_RETRY_AFTER_SECONDS), Duration.ofSeconds(DEFAULT_MAX_RETRY_AFTER_SECONDS));

    /**
     * Checks every value; a bad one fails naming the field and the accepted range.
     *
     * @throws IllegalArgumentException when a value is out of range
     */
    public ConcurrencyPolicy {
        if (maxConcurrent < 0) {
            throw new IllegalArgumentException("maxConcurrent must be 0 (unlimited) or more, was " + maxConcurrent);
        }
        requireRetryAfter("minRetryAfter", minRetryAfter, Duration.ofSeconds(1));
        requireRetryAfter("maxRetryAfter", maxRetryAfter, minRetryAfter);
    }

    /** No limit; {@code Retry-After} between 1 s and 30 s. */
    public static ConcurrencyPolicy defaults() {
        return DEFAULTS;
    }

    /** The defaults with {@code maxConcurrent} requests in flight at most ({@code 0}: unlimited). */
    public static ConcurrencyPolicy ofMaxConcurrent(int maxConcurrent) {
        return new ConcurrencyPolicy(maxConcurrent, DEFAULTS.minRetryAfter, DEFAULTS.maxRetryAfter);
    }

    /** Whether a limit applies. */
    public boolean limited() {
        return maxConcurrent != UNLIMITED;
    }

    private static void requireRetryAfter(String field, Duration value, Duration least) {
        Objects.requireNonNull(value, field);
        if (value.compareTo(least) < 0 || value.compareTo(GuardPolicy.MAX_RETRY_AFTER) > 0) {
            throw new IllegalArgumentException(field + " must be between " + least.getSeconds() + " s and "
                    + GuardPolicy.MAX_RETRY_AFTER.getSeconds() + " s, was " + value);
        }
    }
}
