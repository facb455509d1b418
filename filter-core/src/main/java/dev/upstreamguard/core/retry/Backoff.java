package dev.upstreamguard.core.retry;

import java.time.Duration;

/**
 * Exponential backoff with full jitter: the delay before the attempt after {@code attempt} is drawn
 * uniformly from {@code [0, min(cap, base × 2^(attempt-1))]}. Full jitter spreads the retries of many
 * clients that failed together instead of synchronising them into waves.
 */
public final class Backoff {

    private Backoff() {
    }

    /**
     * The upper bound of the delay after {@code attempt}: {@code min(cap, base × 2^(attempt-1))}, computed
     * without overflow for any attempt.
     *
     * @param base    the bound after the first attempt (not negative)
     * @param cap     the largest bound (not negative; at most about 292 years)
     * @param attempt the attempt that just ended, 1-based
     */
    public static Duration ceiling(Duration base, Duration cap, int attempt) {
        return Duration.ofNanos(ceilingNanos(base.toNanos(), cap.toNanos(), attempt));
    }

    /**
     * The delay after {@code attempt}: {@code random × ceiling(base, cap, attempt)}.
     *
     * @param random a uniform draw from {@code [0, 1)}; values outside (or NaN) are clamped into it
     */
    public static Duration fullJitter(Duration base, Duration cap, int attempt, double random) {
        long ceiling = ceilingNanos(base.toNanos(), cap.toNanos(), attempt);
        double r = random >= 0.0 ? Math.min(random, Math.nextDown(1.0)) : 0.0; // NaN fails >= and becomes 0
        return Duration.ofNanos(Math.min(ceiling, (long) (r * ceiling)));
    }

    private static long ceilingNanos(long base, long cap, int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
        if (base < 0 || cap < 0) {
            throw new IllegalArgumentException("base and cap must be >= 0, were " + base + " ns and " + cap + " ns");
        }
        int doublings = attempt - 1;
        if (base == 0) {
            return 0;
        }
        // base << doublings <= cap exactly when base <= cap >> doublings; a shift of 63 or more exceeds any cap
        if (doublings >= Long.SIZE - 1 || base > (cap >> doublings)) {
            return cap;
        }
        return base << doublings;
    }
}
