package dev.upstreamguard.core;

import java.time.Duration;
import java.util.Objects;

/**
 * A snapshot of one upstream's passive health, for status pages and actuator endpoints.
 *
 * @param upstream            the upstream
 * @param ejected             whether it is out of rotation now
 * @param consecutiveFailures gateway failures in a row since its last success or ejection
 * @param ejectionCount       ejections in the current streak (drives the growing ejection time; back to 0
 *                            once it has stayed healthy, see {@link dev.upstreamguard.core.lifecycle.UpstreamPool#onResponse})
 * @param ejectedFor          time left until it returns; {@link Duration#ZERO} when it is in rotation
 */
public record UpstreamHealth(Upstream upstream, boolean ejected, int consecutiveFailures, int ejectionCount,
                             Duration ejectedFor) {

    /** Checks the invariants. */
    public UpstreamHealth {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(ejectedFor, "ejectedFor");
        if (consecutiveFailures < 0 || ejectionCount < 0) {
            throw new IllegalArgumentException("counts must be >= 0, were " + consecutiveFailures + " and " + ejectionCount);
        }
        if (ejected == (ejectedFor.isZero() || ejectedFor.isNegative())) {
            throw new IllegalArgumentException("ejectedFor must be positive exactly when ejected, was " + ejectedFor
                    + " with ejected=" + ejected);
        }
    }
}
