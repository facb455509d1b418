package dev.upstreamguard.core.policy;

import java.time.Duration;
import java.util.Map;

import static dev.upstreamguard.core.policy.PropertyValues.durationBetween;
import static dev.upstreamguard.core.policy.PropertyValues.nonNegativeInt;

/** {@code concurrency.*}: requests in flight per route and the Retry-After of a refusal, a {@link ConcurrencyPolicy}. */
final class ConcurrencyProperties extends PropertyGroup<ConcurrencyProperties> {

    private static final Duration MIN = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofDays(1);

    private static final Map<String, Row<ConcurrencyProperties>> ROWS = rows(
            row("concurrency.max-concurrent", "0", "a whole number from 0 (unlimited) up",
                    "Most requests in flight at once per route (filter); over it: 503 connection_limit_reached.",
                    (g, v) -> g.maxConcurrent = nonNegativeInt(v)),
            row("concurrency.min-retry-after", "1s", "a duration from 1s to 1d",
                    "Smallest Retry-After on a concurrency refusal (it is computed from recent request durations).",
                    (g, v) -> g.minRetryAfter = durationBetween(v, MIN, MAX)),
            row("concurrency.max-retry-after", "30s", "a duration from 1s to 1d, not below concurrency.min-retry-after",
                    "Largest Retry-After on a concurrency refusal.",
                    (g, v) -> g.maxRetryAfter = durationBetween(v, MIN, MAX)));

    private int maxConcurrent;
    private Duration minRetryAfter;
    private Duration maxRetryAfter;

    ConcurrencyProperties(GuardPolicy base, String prefix) {
        super(prefix, ROWS);
        maxConcurrent = base.concurrency().maxConcurrent();
        minRetryAfter = base.concurrency().minRetryAfter();
        maxRetryAfter = base.concurrency().maxRetryAfter();
    }

    @Override
    void applyTo(GuardPolicy.Builder builder) {
        builder.concurrency(crossField("concurrency.",
                () -> new ConcurrencyPolicy(maxConcurrent, minRetryAfter, maxRetryAfter)));
    }
}
