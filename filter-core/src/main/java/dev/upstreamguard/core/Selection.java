package dev.upstreamguard.core;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link dev.upstreamguard.core.lifecycle.UpstreamPool#select} chose: an upstream, or none because every upstream of the route is
 * ejected, with the time until the first of them returns. A packaging answers "none" with 503
 * {@code destination_unavailable} (RFC 9209 §2.3.4) and a {@code Retry-After} (RFC 9110 §10.2.3) of
 * {@link #retryAfter()} rounded up to whole seconds, at least 1.
 *
 * @param upstream   the chosen upstream, or {@code null} when none is available
 * @param retryAfter {@link Duration#ZERO} when an upstream was chosen; otherwise the exact, positive time
 *                   until the first ejected upstream returns
 */
public record Selection(Upstream upstream, Duration retryAfter) {

    /** Checks that the pair is one of the two shapes above. */
    public Selection {
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (upstream != null && !retryAfter.isZero()) {
            throw new IllegalArgumentException("retryAfter must be zero when an upstream was chosen, was " + retryAfter);
        }
        if (upstream == null && (retryAfter.isZero() || retryAfter.isNegative())) {
            throw new IllegalArgumentException("retryAfter must be positive when no upstream is available, was "
                    + retryAfter);
        }
    }

    /** {@code upstream} was chosen. */
    public static Selection of(Upstream upstream) {
        return new Selection(Objects.requireNonNull(upstream, "upstream"), Duration.ZERO);
    }

    /** No upstream is available; the first returns after {@code retryAfter}. */
    public static Selection none(Duration retryAfter) {
        return new Selection(null, retryAfter);
    }

    /** Whether an upstream was chosen. */
    public boolean available() {
        return upstream != null;
    }
}
