package dev.upstreamguard.core.admission;

import java.time.Duration;

/** Rounds waiting times to the whole seconds of {@code Retry-After}'s delay-seconds (RFC 9110 §10.2.3). */
public final class RetryAfterSeconds {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private RetryAfterSeconds() {
    }

    /** {@code nanos} rounded up to whole seconds, at least 1: a client told "0" would retry at once. */
    static long ofNanos(long nanos) {
        if (nanos <= 0) {
            return 1;
        }
        return Math.max(1, nanos / NANOS_PER_SECOND + (nanos % NANOS_PER_SECOND == 0 ? 0 : 1));
    }

    /** {@code duration} rounded up to whole seconds, at least 1. */
    public static long of(Duration duration) {
        return ofNanos(saturatedNanos(duration));
    }

    /** The duration in nanoseconds, {@link Long#MAX_VALUE} when it does not fit. */
    static long saturatedNanos(Duration duration) {
        return duration.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : duration.toNanos();
    }
}
