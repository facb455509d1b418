package dev.upstreamguard.core.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * The opt-in per-route circuit breaker: fail fast, at admission, while a route's upstreams are dead.
 *
 * <p>Passive health moves traffic between the upstreams of a route and never takes out the only one; the
 * circuit breaker is the explicit choice to stop sending a route's requests anywhere for a while. After
 * {@code failureThreshold} failed requests in a row — each request counts once however many attempts it
 * made, and a failure is what passive health counts: a gateway failure the upstream is to blame for, and
 * an upstream 5xx only with {@code health.count-upstream-5xx} — the circuit opens: every request is answered
 * 503 {@code destination_unavailable} with a {@code Retry-After} of the time left open, without reaching an
 * upstream. After {@code openDuration} the circuit is half-open: {@code halfOpenProbes} requests go through
 * (the others are still answered 503, {@code Retry-After: 1}); the first of them to succeed closes it, the
 * first to fail opens it again for another {@code openDuration} (fixed: it does not grow).
 *
 * @param enabled          whether the breaker runs at all; off by default
 * @param failureThreshold failed requests in a row that open the circuit, 1 to {@value #MAX_FAILURE_THRESHOLD}
 * @param openDuration     how long the circuit stays open before probes are let through, 1 ms to 1 day
 * @param halfOpenProbes   requests let through at once while half-open, 1 to {@value #MAX_HALF_OPEN_PROBES}
 */
public record CircuitBreakerPolicy(boolean enabled, int failureThreshold, Duration openDuration, int halfOpenProbes) {
    /** Default failed requests in a row that open the circuit: {@value}. */
    public static final int DEFAULT_FAILURE_THRESHOLD = 5;
    /** Default time open: 30 s. */
    public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(30);
    /** Default requests let through while half-open: {@value}. */
    public static final int DEFAULT_HALF_OPEN_PROBES = 1;
    /** The largest accepted {@code failureThreshold}: {@value}. */
    public static final int MAX_FAILURE_THRESHOLD = 1000;
    /** The largest accepted {@code halfOpenProbes}: {@value}. */
    public static final int MAX_HALF_OPEN_PROBES = 1000;

    private static final CircuitBreakerPolicy DEFAULTS = new CircuitBreakerPolicy(false, DEFAULT_FAILURE_THRESHOLD,
            DEFAULT_OPEN_DURATION, DEFAULT_HALF_OPEN_PROBES);

    /** Checks every value, naming the field and the accepted range. */
    public CircuitBreakerPolicy {
        if (failureThreshold < 1 || failureThreshold > MAX_FAILURE_THRESHOLD) {
            throw new IllegalArgumentException("failureThreshold must be between 1 and " + MAX_FAILURE_THRESHOLD
                    + ", was " + failureThreshold);
        }
        Objects.requireNonNull(openDuration, "openDuration");
        if (openDuration.compareTo(Duration.ofMillis(1)) < 0 || openDuration.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("openDuration must be between 1 ms and 1 day, was " + openDuration);
        }
        if (halfOpenProbes < 1 || halfOpenProbes > MAX_HALF_OPEN_PROBES) {
            throw new IllegalArgumentException("halfOpenProbes must be between 1 and " + MAX_HALF_OPEN_PROBES
                    + ", was " + halfOpenProbes);
        }
    }

    /** Off; when enabled: 5 failed requests in a row open it for 30 s, then 1 probe. */
    public static CircuitBreakerPolicy defaults() {
        return DEFAULTS;
    }

    /** The defaults, switched on. */
    public static CircuitBreakerPolicy enabledDefaults() {
        return DEFAULTS.withEnabled(true);
    }

    /** This policy, switched on or off. */
    public CircuitBreakerPolicy withEnabled(boolean on) {
        return new CircuitBreakerPolicy(on, failureThreshold, openDuration, halfOpenProbes);
    }

    /** This policy with another threshold. */
    public CircuitBreakerPolicy withFailureThreshold(int threshold) {
        return new CircuitBreakerPolicy(enabled, threshold, openDuration, halfOpenProbes);
    }

    /** This policy with another open duration. */
    public CircuitBreakerPolicy withOpenDuration(Duration duration) {
        return new CircuitBreakerPolicy(enabled, failureThreshold, duration, halfOpenProbes);
    }

    /** This policy with another number of half-open probes. */
    public CircuitBreakerPolicy withHalfOpenProbes(int probes) {
        return new CircuitBreakerPolicy(enabled, failureThreshold, openDuration, probes);
    }
}
