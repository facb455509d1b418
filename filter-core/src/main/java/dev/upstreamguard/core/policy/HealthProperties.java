package dev.upstreamguard.core.policy;

import java.time.Duration;
import java.util.Map;

import static dev.upstreamguard.core.policy.PropertyValues.bool;
import static dev.upstreamguard.core.policy.PropertyValues.durationBetween;
import static dev.upstreamguard.core.policy.PropertyValues.intInRange;

/** {@code health.*}: passive health checks of the upstreams, a {@link PassiveHealthPolicy}. */
final class HealthProperties extends PropertyGroup<HealthProperties> {

    private static final Duration MIN = Duration.ofMillis(1);
    private static final Duration MAX = Duration.ofDays(1);

    private static final Map<String, Row<HealthProperties>> ROWS = rows(
            row("health.enabled", "true", "true or false",
                    "Passive health: eject an upstream after consecutive gateway failures (proxy packagings).",
                    (g, v) -> g.enabled = bool(v)),
            row("health.consecutive-failures", String.valueOf(PassiveHealthPolicy.DEFAULT_CONSECUTIVE_FAILURES),
                    "a whole number from 1 to 1000",
                    "Gateway failures in a row that eject an upstream.",
                    (g, v) -> g.failures = intInRange(v, 1, PassiveHealthPolicy.MAX_CONSECUTIVE_FAILURES)),
            row("health.base-ejection", "30s", "a duration from 1ms to 1d",
                    "First ejection time; it doubles with each ejection in a row.",
                    (g, v) -> g.baseEjection = durationBetween(v, MIN, MAX)),
            row("health.max-ejection", "5m", "a duration from 1ms to 1d, not below health.base-ejection",
                    "Longest ejection time.",
                    (g, v) -> g.maxEjection = durationBetween(v, MIN, MAX)),
            row("health.max-ejected-percent", String.valueOf(PassiveHealthPolicy.DEFAULT_MAX_EJECTED_PERCENT),
                    "a whole number from 0 to 100",
                    "Most of a route's upstreams ejected at once (at least one; never the only upstream of a route).",
                    (g, v) -> g.maxEjectedPercent = intInRange(v, 0, 100)),
            row("health.count-upstream-5xx", "false", "true or false",
                    "Whether an upstream's own 5xx answers count as its failures.",
                    (g, v) -> g.countUpstream5xx = bool(v)),
            row("health.panic-threshold", String.valueOf(PassiveHealthPolicy.DEFAULT_PANIC_THRESHOLD_PERCENT),
                    "a whole number from 0 to 100",
                    "Below this percentage of a route's upstreams in rotation, ejections are ignored and all take traffic.",
                    (g, v) -> g.panicThreshold = intInRange(v, 0, 100)));

    private boolean enabled;
    private int failures;
    private Duration baseEjection;
    private Duration maxEjection;
    private int maxEjectedPercent;
    private boolean countUpstream5xx;
    private int panicThreshold;

    HealthProperties(GuardPolicy base, String prefix) {
        super(prefix, ROWS);
        PassiveHealthPolicy h = base.health();
        enabled = h.enabled();
        failures = h.consecutiveFailures();
        baseEjection = h.baseEjection();
        maxEjection = h.maxEjection();
        maxEjectedPercent = h.maxEjectedPercent();
        countUpstream5xx = h.countUpstream5xx();
        panicThreshold = h.panicThresholdPercent();
    }

    @Override
    void applyTo(GuardPolicy.Builder builder) {
        builder.health(crossField("health.", () -> new PassiveHealthPolicy(enabled, failures, baseEjection,
                maxEjection, maxEjectedPercent, countUpstream5xx, panicThreshold)));
    }
}
