package dev.upstreamguard.core.policy;

import java.time.Duration;
import java.util.Map;

import static dev.upstreamguard.core.policy.PropertyValues.bool;
import static dev.upstreamguard.core.policy.PropertyValues.durationBetween;
import static dev.upstreamguard.core.policy.PropertyValues.intInRange;

/** {@code circuit-breaker.*}: the opt-in per-route circuit breaker, a {@link CircuitBreakerPolicy}. */
final class CircuitBreakerProperties extends PropertyGroup<CircuitBreakerProperties> {

    private static final Map<String, Row<CircuitBreakerProperties>> ROWS = rows(
            row("circuit-breaker.enabled", "false", "true or false",
                    "Opt-in circuit breaker: after failed requests in a row, answer the route's requests 503 at once"
                            + " (Retry-After: the time left open) without reaching an upstream.",
                    (g, v) -> g.breaker = g.breaker.withEnabled(bool(v))),
            row("circuit-breaker.failure-threshold", String.valueOf(CircuitBreakerPolicy.DEFAULT_FAILURE_THRESHOLD),
                    "a whole number from 1 to 1000",
                    "Failed requests of the route in a row (each counted once, whatever its attempts) that open the circuit.",
                    (g, v) -> g.breaker = g.breaker.withFailureThreshold(
                            intInRange(v, 1, CircuitBreakerPolicy.MAX_FAILURE_THRESHOLD))),
            row("circuit-breaker.open-duration", "30s", "a duration from 1ms to 1d",
                    "How long the circuit stays open (fixed, it does not grow) before half-open probes are let through.",
                    (g, v) -> g.breaker = g.breaker.withOpenDuration(
                            durationBetween(v, Duration.ofMillis(1), Duration.ofDays(1)))),
            row("circuit-breaker.half-open-probes", String.valueOf(CircuitBreakerPolicy.DEFAULT_HALF_OPEN_PROBES),
                    "a whole number from 1 to 1000",
                    "Requests let through while half-open; the first to succeed closes the circuit, the first to fail reopens it.",
                    (g, v) -> g.breaker = g.breaker.withHalfOpenProbes(
                            intInRange(v, 1, CircuitBreakerPolicy.MAX_HALF_OPEN_PROBES))));

    private CircuitBreakerPolicy breaker;

    CircuitBreakerProperties(GuardPolicy base, String prefix) {
        super(prefix, ROWS);
        breaker = base.circuitBreaker();
    }

    @Override
    void applyTo(GuardPolicy.Builder builder) {
        builder.circuitBreaker(breaker);
    }
}
