package dev.upstreamguard.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The shape of one token bucket: how many tokens it holds and how fast it refills (greedily, as
 * Bucket4j's {@code refillGreedy}). Shapes are values: two calls with equal shapes and keys meet the same
 * bucket in a backend.
 *
 * @param name         a short policy name, used in {@code RateLimit-Policy} and as part of backend keys
 *                     (1–32 characters of {@code a-z 0-9 _ -})
 * @param capacity     the most tokens the bucket holds (its burst)
 * @param refillTokens tokens added per {@code refillPeriod}
 * @param refillPeriod the refill period
 */
public record BucketShape(String name, long capacity, long refillTokens, Duration refillPeriod) {
    /** Bucket4j refuses refill rates over one token per nanosecond. */
    public static final double MAX_TOKENS_PER_SECOND = 1e9;

    /** Checks every value, naming the field. */
    public BucketShape {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z0-9_-]{1,32}")) {
            throw new IllegalArgumentException("name must be 1-32 characters of a-z 0-9 _ -, was '" + name + "'");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        if (refillTokens < 1) {
            throw new IllegalArgumentException("refillTokens must be >= 1, was " + refillTokens);
        }
        Objects.requireNonNull(refillPeriod, "refillPeriod");
        if (refillPeriod.isNegative() || refillPeriod.isZero()) {
            throw new IllegalArgumentException("refillPeriod must be positive, was " + refillPeriod);
        }
        if (refillTokens / (refillPeriod.toNanos() / 1e9) > MAX_TOKENS_PER_SECOND) {
            throw new IllegalArgumentException("refill rate must be at most " + (long) MAX_TOKENS_PER_SECOND
                    + " tokens per second, was " + refillTokens + " per " + refillPeriod);
        }
    }
}
