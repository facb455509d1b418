package dev.upstreamguard.core.policy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.upstreamguard.core.policy.PropertyValues.csv;
import static dev.upstreamguard.core.policy.PropertyValues.duration;
import static dev.upstreamguard.core.policy.PropertyValues.inRange;
import static dev.upstreamguard.core.policy.PropertyValues.intInRange;
import static dev.upstreamguard.core.policy.PropertyValues.ratio;
import static dev.upstreamguard.core.policy.PropertyValues.size0;

/**
 * {@code retry.*}: when and how a failed attempt is retried, a {@link RetryPolicy}. Its durations are
 * range-checked by the policy itself, whose messages name its fields ({@code RetryPolicy.overallDeadline});
 * {@link #FIELDS} maps them to the properties.
 */
final class RetryProperties extends PropertyGroup<RetryProperties> {

    /** RetryPolicy's field names (in its messages) to our property keys, for cross-field errors. */
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("maxAttempts", "retry.max-attempts"),
            Map.entry("retryableMethods", "retry.methods"),
            Map.entry("retryOnStatuses", "retry.statuses"),
            Map.entry("perTryTimeout", "retry.per-try-timeout"),
            Map.entry("overallDeadline", "retry.deadline"),
            Map.entry("backoffBase", "retry.backoff-base"),
            Map.entry("backoffCap", "retry.backoff-cap"),
            Map.entry("retryAfterCap", "retry.retry-after-cap"),
            Map.entry("maxReplayableBodyBytes", "retry.max-replayable-body"),
            Map.entry("budgetRatio", "retry.budget-ratio"),
            Map.entry("budgetMinPerSecond", "retry.budget-min-per-second"),
            Map.entry("retryOn", "retry.conditions"));
    private static final Pattern FIELD = Pattern.compile("RetryPolicy\\.(\\w+) ");

    private static final Map<String, Row<RetryProperties>> ROWS = rows(
            row("retry.max-attempts", String.valueOf(RetryPolicy.DEFAULT_MAX_ATTEMPTS), "1 (no retries) to 100",
                    "Attempts per request, the first included (proxy packagings).",
                    (g, v) -> g.maxAttempts = intInRange(v, 1, RetryPolicy.MAX_ATTEMPTS_LIMIT)),
            row("retry.methods", "GET,HEAD,OPTIONS", "a comma-separated list of idempotent methods (not POST, PATCH, CONNECT)",
                    "Methods retried once the request may have reached the upstream (any method is retried when it never left).",
                    (g, v) -> g.methods = csv(v)),
            row("retry.conditions", "connect-failure", "a comma-separated list of connect-failure, reset, timeout, status",
                    "What is retried: connect-failure (never reached the upstream; any method), reset, timeout and status (may have been received; retry.methods with a replayable body only).",
                    (g, v) -> g.retryOn = conditions(v)),
            row("retry.statuses", "502,503,504", "a comma-separated list of statuses from 400 to 599",
                    "Upstream statuses that are retried for safe requests when retry.conditions has status.",
                    (g, v) -> g.statuses = statuses(v)),
            row("retry.per-try-timeout", "(none)", "a duration from 1ms to 1d, up to retry.deadline when set",
                    "Timeout of one attempt (default: the packaging's response timeout).",
                    (g, v) -> g.perTry = duration(v)),
            row("retry.deadline", "(the response timeout)", "a duration from 1ms to 1d",
                    "End-to-end deadline of a request, all attempts and backoffs included (default: the route's response timeout).",
                    (g, v) -> g.deadline = duration(v)),
            row("retry.backoff-base", "25ms", "a duration up to retry.backoff-cap",
                    "Exponential backoff base (full jitter: random(0, min(cap, base * 2^(n-1)))).",
                    (g, v) -> g.backoffBase = duration(v)),
            row("retry.backoff-cap", "250ms", "a duration up to 1d",
                    "Backoff cap.",
                    (g, v) -> g.backoffCap = duration(v)),
            row("retry.retry-after-cap", "1s", "a duration up to 1d",
                    "An upstream Retry-After up to this is waited for; above it the 503 passes through unretried.",
                    (g, v) -> g.retryAfterCap = duration(v)),
            row("retry.max-replayable-body", "64k", "a size up to 16MiB",
                    "Request bodies up to this size are buffered so that they can be replayed.",
                    (g, v) -> g.maxBody = size0(v)),
            row("retry.budget-ratio", String.valueOf(RetryPolicy.DEFAULT_BUDGET_RATIO), "a number from 0.0 to 1.0",
                    "Retry budget: retries at most this share of requests (plus the floor).",
                    (g, v) -> g.budgetRatio = ratio(v)),
            row("retry.budget-min-per-second", String.valueOf(RetryPolicy.DEFAULT_BUDGET_MIN_PER_SECOND),
                    "a whole number from 0 to 1000000",
                    "Retry budget floor: retries per second always allowed.",
                    (g, v) -> g.budgetMin = intInRange(v, 0, RetryPolicy.MAX_BUDGET_MIN_PER_SECOND)));

    private int maxAttempts;
    private Set<String> methods;
    private Set<Integer> statuses;
    private Duration perTry;
    private Duration deadline;
    private Duration backoffBase;
    private Duration backoffCap;
    private Duration retryAfterCap;
    private int maxBody;
    private double budgetRatio;
    private int budgetMin;
    private Set<RetryCondition> retryOn;

    RetryProperties(GuardPolicy base, String prefix) {
        super(prefix, ROWS);
        RetryPolicy t = base.retry();
        maxAttempts = t.maxAttempts();
        methods = t.retryableMethods();
        statuses = t.retryOnStatuses();
        perTry = t.perTryTimeout();
        deadline = t.overallDeadline();
        backoffBase = t.backoffBase();
        backoffCap = t.backoffCap();
        retryAfterCap = t.retryAfterCap();
        maxBody = t.maxReplayableBodyBytes();
        budgetRatio = t.budgetRatio();
        budgetMin = t.budgetMinPerSecond();
        retryOn = t.retryOn();
    }

    /**
     * A rejection by the policy names the property of the field its message is about ({@code retry.*} when
     * none), with the value as written and the message as is.
     */
    @Override
    void applyTo(GuardPolicy.Builder builder) {
        try {
            builder.retry(new RetryPolicy(maxAttempts, methods, statuses, perTry, deadline, backoffBase, backoffCap,
                    retryAfterCap, maxBody, budgetRatio, budgetMin, retryOn));
        } catch (IllegalArgumentException ex) {
            String message = String.valueOf(ex.getMessage());
            String key = "retry.*";
            for (Matcher m = FIELD.matcher(message); m.find(); ) {
                if (FIELDS.containsKey(m.group(1))) {
                    key = FIELDS.get(m.group(1));
                    break;
                }
            }
            throw rejection(key, raw(key), message);
        }
    }

    private static Set<RetryCondition> conditions(String value) {
        Set<RetryCondition> conditions = EnumSet.noneOf(RetryCondition.class);
        for (String item : csv(value)) {
            conditions.add(RetryCondition.fromToken(item));
        }
        return conditions;
    }

    private static Set<Integer> statuses(String value) {
        Set<Integer> statuses = new LinkedHashSet<>();
        for (String item : csv(value)) {
            statuses.add((int) inRange(Integer.parseInt(item), 400, 599));
        }
        return statuses;
    }
}
