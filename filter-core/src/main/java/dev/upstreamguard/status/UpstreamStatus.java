package dev.upstreamguard.status;

import dev.upstreamguard.core.UpstreamHealth;

import java.util.Objects;

/**
 * One upstream as the status page shows it: its configured id and passive health, never its URI.
 *
 * @param id                  the upstream's configured id
 * @param ejected             out of rotation now
 * @param ejectedForMillis    time left until it returns to rotation; 0 when in rotation
 * @param consecutiveFailures gateway failures in a row since its last success or ejection
 * @param ejectionCount       ejections in the current streak
 */
public record UpstreamStatus(String id, boolean ejected, long ejectedForMillis, int consecutiveFailures,
                             int ejectionCount) {

    /** Checks the invariants. */
    public UpstreamStatus {
        Objects.requireNonNull(id, "id");
        if (ejectedForMillis < 0 || consecutiveFailures < 0 || ejectionCount < 0) {
            throw new IllegalArgumentException("times and counts must be >= 0");
        }
    }

    /** The status of {@code health}; a sub-millisecond ejection rounds up, so an ejected upstream never shows 0. */
    public static UpstreamStatus of(UpstreamHealth health) {
        long nanos = health.ejectedFor().toNanos();
        long millis = health.ejected() ? Math.max(1L, (nanos + 999_999L) / 1_000_000L) : 0L;
        return new UpstreamStatus(health.upstream().id(), health.ejected(), millis, health.consecutiveFailures(),
                health.ejectionCount());
    }
}
