package dev.upstreamguard.core.policy;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * When and how a failed upstream attempt is retried (only when safe, and only what the route asks for). Immutable; the
 * compact constructor rejects every bad value with an {@link IllegalArgumentException} that names the
 * field and the accepted range, so a bad configuration fails at start-up.
 *
 * @param maxAttempts            attempts in all, the first included: 1 disables retries, 2 allows one retry
 *                               (1–{@value #MAX_ATTEMPTS_LIMIT})
 * @param retryableMethods       methods retried once the request may have reached the upstream; idempotent
 *                               methods only (RFC 9110 §9.2.2), stored upper-case
 * @param retryOnStatuses        upstream statuses that trigger a retry (400–599)
 * @param perTryTimeout          the response timeout of each attempt, or {@code null} for the packaging's own
 *                               response timeout; at most {@code overallDeadline} when that is set
 * @param overallDeadline        the end-to-end deadline of a request, all attempts and backoffs included: no
 *                               attempt's head deadline ends after it and no retry is scheduled past it (more than
 *                               0, at most 1 day); {@code null} (the default) for the route's response timeout,
 *                               so that retries never make a client wait longer than the configured timeout
 * @param backoffBase            the backoff ceiling after the first attempt (0 up to {@code backoffCap})
 * @param backoffCap             the largest backoff ceiling (0 up to 1 day)
 * @param retryAfterCap          the longest upstream {@code Retry-After} (RFC 9110 §10.2.3) waited for; above
 *                               it the response passes through unretried (0 up to 1 day)
 * @param maxReplayableBodyBytes request bodies up to this size are buffered so that they can be replayed
 *                               (0–{@value #MAX_REPLAYABLE_BODY_LIMIT}; 0: only requests without a body)
 * @param budgetRatio            the share of requests that may be retried, on top of the floor (0.0–1.0)
 * @param budgetMinPerSecond     retries per second allowed whatever the traffic, the budget's floor
 *                               (0–{@value #MAX_BUDGET_MIN_PER_SECOND})
 * @param retryOn                which failed attempts are retried (see {@link RetryCondition}); by default only
 *                               those that never reached the upstream
 */
public record RetryPolicy(int maxAttempts, Set<String> retryableMethods, Set<Integer> retryOnStatuses,
                          Duration perTryTimeout, Duration overallDeadline, Duration backoffBase, Duration backoffCap,
                          Duration retryAfterCap, int maxReplayableBodyBytes, double budgetRatio,
                          int budgetMinPerSecond, Set<RetryCondition> retryOn) {

    /** Default of {@link #maxAttempts()}: one retry. */
    public static final int DEFAULT_MAX_ATTEMPTS = 2;
    /** Default of {@link #retryableMethods()}: the safe methods that are commonly retried (RFC 9110 §9.2.1). */
    public static final Set<String> DEFAULT_RETRYABLE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /** Default of {@link #retryOnStatuses()}: the gateway errors an upstream answers when it is itself overloaded or cut off. */
    public static final Set<Integer> DEFAULT_RETRY_ON_STATUSES = Set.of(502, 503, 504);
    /**
     * The end-to-end deadline used when neither {@link #overallDeadline()} nor the packaging's response
     * timeout gives one.
     */
    public static final Duration DEFAULT_OVERALL_DEADLINE = Duration.ofSeconds(10);
    /** Default of {@link #retryOn()}: only attempts that provably never reached the upstream. */
    public static final Set<RetryCondition> DEFAULT_RETRY_ON = Set.of(RetryCondition.CONNECT_FAILURE);
    /** Default of {@link #backoffBase()}. */
    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(25);
    /** Default of {@link #backoffCap()}. */
    public static final Duration DEFAULT_BACKOFF_CAP = Duration.ofMillis(250);
    /** Default of {@link #retryAfterCap()}. */
    public static final Duration DEFAULT_RETRY_AFTER_CAP = Duration.ofSeconds(1);
    /** Default of {@link #maxReplayableBodyBytes()}: 64 KiB. */
    public static final int DEFAULT_MAX_REPLAYABLE_BODY_BYTES = 64 * 1024;
    /** Default of {@link #budgetRatio()}. */
    public static final double DEFAULT_BUDGET_RATIO = 0.2;
    /** Default of {@link #budgetMinPerSecond()}. */
    public static final int DEFAULT_BUDGET_MIN_PER_SECOND = 10;

    /** The largest {@link #maxAttempts()} accepted. */
    public static final int MAX_ATTEMPTS_LIMIT = 100;
    /** The largest {@link #maxReplayableBodyBytes()} accepted: 16 MiB. */
    public static final int MAX_REPLAYABLE_BODY_LIMIT = 16 * 1024 * 1024;
    /** The largest {@link #budgetMinPerSecond()} accepted (the budget's bucket refills at most 10^9 tokens/s). */
    public static final int MAX_BUDGET_MIN_PER_SECOND = 1_000_000;
    /** The longest duration accepted anywhere in the policy. */
    public static final Duration MAX_DURATION = Duration.ofDays(1);

    /** Methods that are not idempotent (RFC 9110 §9.2.2, RFC 5789 §2) or open a tunnel: never retried once sent. */
    private static final Set<String> NEVER_RETRYABLE = Set.of("POST", "PATCH", "CONNECT");
    /** An RFC 9110 §9.1 method: a token (§5.6.2). */
    private static final Pattern METHOD = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** Checks every value, naming the field; normalises the methods to upper-case and freezes both sets. */
    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
            throw invalid("maxAttempts", maxAttempts, "1-" + MAX_ATTEMPTS_LIMIT + " (1 disables retries)");
        }
        retryableMethods = methods(retryableMethods);
        retryOnStatuses = statuses(retryOnStatuses);
        if (overallDeadline != null) {
            duration("overallDeadline", overallDeadline, false);
        }
        if (perTryTimeout != null) {
            duration("perTryTimeout", perTryTimeout, false);
            if (overallDeadline != null && perTryTimeout.compareTo(overallDeadline) > 0) {
                throw invalid("perTryTimeout", perTryTimeout, "null or more than 0 up to overallDeadline ("
                        + overallDeadline + ")");
            }
        }
        backoffCap = duration("backoffCap", backoffCap, true);
        backoffBase = duration("backoffBase", backoffBase, true);
        if (backoffBase.compareTo(backoffCap) > 0) {
            throw invalid("backoffBase", backoffBase, "0 up to backoffCap (" + backoffCap + ")");
        }
        retryAfterCap = duration("retryAfterCap", retryAfterCap, true);
        if (maxReplayableBodyBytes < 0 || maxReplayableBodyBytes > MAX_REPLAYABLE_BODY_LIMIT) {
            throw invalid("maxReplayableBodyBytes", maxReplayableBodyBytes, "0-" + MAX_REPLAYABLE_BODY_LIMIT);
        }
        if (!(budgetRatio >= 0.0 && budgetRatio <= 1.0)) {
            throw invalid("budgetRatio", budgetRatio, "0.0-1.0");
        }
        if (budgetMinPerSecond < 0 || budgetMinPerSecond > MAX_BUDGET_MIN_PER_SECOND) {
            throw invalid("budgetMinPerSecond", budgetMinPerSecond, "0-" + MAX_BUDGET_MIN_PER_SECOND);
        }
        retryOn = conditions(retryOn);
    }

    /** A policy retrying only what never reached the upstream ({@link #DEFAULT_RETRY_ON}); see the canonical constructor. */
    public RetryPolicy(int maxAttempts, Set<String> retryableMethods, Set<Integer> retryOnStatuses,
                       Duration perTryTimeout, Duration overallDeadline, Duration backoffBase, Duration backoffCap,
                       Duration retryAfterCap, int maxReplayableBodyBytes, double budgetRatio, int budgetMinPerSecond) {
        this(maxAttempts, retryableMethods, retryOnStatuses, perTryTimeout, overallDeadline, backoffBase, backoffCap,
                retryAfterCap, maxReplayableBodyBytes, budgetRatio, budgetMinPerSecond, DEFAULT_RETRY_ON);
    }

    /**
     * The defaults: one retry, only of attempts that never reached the upstream (any method); a 20 % + 10/s
     * budget; all attempts within the route's response timeout. Opting in to {@link RetryCondition#RESET},
     * {@link RetryCondition#TIMEOUT} or {@link RetryCondition#STATUS} retries GET, HEAD and OPTIONS, and
     * 502, 503 and 504 for the latter.
     */
    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRYABLE_METHODS, DEFAULT_RETRY_ON_STATUSES, null,
                null, DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_CAP, DEFAULT_RETRY_AFTER_CAP,
                DEFAULT_MAX_REPLAYABLE_BODY_BYTES, DEFAULT_BUDGET_RATIO, DEFAULT_BUDGET_MIN_PER_SECOND, DEFAULT_RETRY_ON);
    }

    /** Whether failed attempts of {@code condition} are retried. */
    public boolean retriesOn(RetryCondition condition) {
        return retryOn.contains(condition);
    }

    /** A copy with other {@link #retryOn()} conditions. */
    public RetryPolicy withRetryOn(Set<RetryCondition> value) {
        return new RetryPolicy(maxAttempts, retryableMethods, retryOnStatuses, perTryTimeout, overallDeadline, backoffBase,
                backoffCap, retryAfterCap, maxReplayableBodyBytes, budgetRatio, budgetMinPerSecond, value);
    }

    /** The defaults with {@code maxAttempts} 1: nothing is retried (and the budget is never asked). */
    public static RetryPolicy disabled() {
        return defaults().withMaxAttempts(1);
    }

    /** Whether more than one attempt is allowed. */
    public boolean enabled() {
        return maxAttempts > 1;
    }

    /** A copy with another {@link #maxAttempts()}. */
    public RetryPolicy withMaxAttempts(int value) {
        return new RetryPolicy(value, retryableMethods, retryOnStatuses, perTryTimeout, overallDeadline, backoffBase,
                backoffCap, retryAfterCap, maxReplayableBodyBytes, budgetRatio, budgetMinPerSecond, retryOn);
    }

    /** A copy with other {@link #retryableMethods()} (e.g. adding PUT and DELETE). */
    public RetryPolicy withRetryableMethods(Set<String> value) {
        return new RetryPolicy(maxAttempts, value, retryOnStatuses, perTryTimeout, overallDeadline, backoffBase,
                backoffCap, retryAfterCap, maxReplayableBodyBytes, budgetRatio, budgetMinPerSecond, retryOn);
    }

    /** A copy with other {@link #retryOnStatuses()}. */
    public RetryPolicy withRetryOnStatuses(Set<Integer> value) {
        return new RetryPolicy(maxAttempts, retryableMethods, value, perTryTimeout, overallDeadline, backoffBase,
                backoffCap, retryAfterCap, maxReplayableBodyBytes, budgetRatio, budgetMinPerSecond, retryOn);
    }

    /** A copy with other {@link #perTryTimeout()} and {@link #overallDeadline()}. */
    public RetryPolicy withTimeouts(Duration perTry, Duration overall) {
        return new RetryPolicy(maxAttempts, retryableMethods, retryOnStatuses, perTry, overall, backoffBase,
                backoffCap, retryAfterCap, maxReplayableBodyBytes, budgetRatio, budgetMinPerSecond, retryOn);
    }

    /** A copy with other {@link #backoffBase()} and {@link #backoffCap()}. */
    public RetryPolicy withBackoff(Duration base, Duration cap) {
        return new RetryPolicy(maxAttempts, retryableMethods, retryOnStatuses, perTryTimeout, overallDeadline, base,
                cap, retryAfterCap, maxReplayableBodyBytes, budgetRatio, budgetMinPerSecond, retryOn);
    }

    /** A copy with another {@link #retryAfterCap()}. */
    public RetryPolicy withRetryAfterCap(Duration value) {
        return new RetryPolicy(maxAttempts, retryableMethods, retryOnStatuses, perTryTimeout, overallDeadline,
                backoffBase, backoffCap, value, maxReplayableBodyBytes, budgetRatio, budgetMinPerSecond, retryOn);
    }

    /** A copy with another {@link #maxReplayableBodyBytes()}. */
    public RetryPolicy withMaxReplayableBodyBytes(int value) {
        return new RetryPolicy(maxAttempts, retryableMethods, retryOnStatuses, perTryTimeout, overallDeadline,
                backoffBase, backoffCap, retryAfterCap, value, budgetRatio, budgetMinPerSecond, retryOn);
    }

    /** A copy with another budget: {@link #budgetRatio()} and {@link #budgetMinPerSecond()}. */
    public RetryPolicy withBudget(double ratio, int minPerSecond) {
        return new RetryPolicy(maxAttempts, retryableMethods, retryOnStatuses, perTryTimeout, overallDeadline,
                backoffBase, backoffCap, retryAfterCap, maxReplayableBodyBytes, ratio, minPerSecond, retryOn);
    }

    private static Set<String> methods(Collection<String> given) {
        if (given == null) {
            throw invalid("retryableMethods", null, "a set of idempotent method names, possibly empty");
        }
        Set<String> upper = new LinkedHashSet<>();
        for (String m : given) {
            if (m == null || !METHOD.matcher(m).matches()) {
                throw invalid("retryableMethods", m, "method names (RFC 9110 §9.1 tokens)");
            }
            String u = m.toUpperCase(Locale.ROOT);
            if (NEVER_RETRYABLE.contains(u)) {
                throw invalid("retryableMethods", m, "idempotent methods only (RFC 9110 §9.2.2), not POST, PATCH"
                        + " or CONNECT");
            }
            upper.add(u);
        }
        return Set.copyOf(upper);
    }

    private static Set<RetryCondition> conditions(Collection<RetryCondition> given) {
        Set<RetryCondition> set = EnumSet.noneOf(RetryCondition.class);
        for (RetryCondition c : given == null ? java.util.Collections.<RetryCondition>singleton(null) : given) {
            if (c == null) {
                throw invalid("retryOn", given, "a set of retry conditions, possibly empty");
            }
            set.add(c);
        }
        return Set.copyOf(set);
    }

    private static Set<Integer> statuses(Collection<Integer> given) {
        if (given == null) {
            throw invalid("retryOnStatuses", null, "a set of statuses 400-599, possibly empty");
        }
        for (Integer s : given) {
            if (s == null || s < 400 || s > 599) {
                throw invalid("retryOnStatuses", s, "statuses 400-599");
            }
        }
        return Set.copyOf(given);
    }

    private static Duration duration(String field, Duration value, boolean zeroAllowed) {
        String accepted = (zeroAllowed ? "0" : "more than 0") + " up to " + MAX_DURATION;
        if (value == null || value.isNegative() || (!zeroAllowed && value.isZero()) || value.compareTo(MAX_DURATION) > 0) {
            throw invalid(field, value, accepted);
        }
        return value;
    }

    private static IllegalArgumentException invalid(String field, Object value, String accepted) {
        return new IllegalArgumentException("RetryPolicy." + field + " must be " + accepted + ", was " + value);
    }
}
