package dev.upstreamguard.core.retry;

import dev.upstreamguard.core.policy.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Whether to make another attempt, after what delay, and why. Immutable; made by the static factories.
 *
 * <p>The reason is a lower-case token, the same one the {@link dev.upstreamguard.core.RetryEvent}
 * carries: for a retry its trigger ({@value #FAILURE}, {@value #TRANSPARENT} or {@value #STATUS}), otherwise why not.
 *
 * <p>Every failed response the guard makes says why it was not retried with one of {@link #NOT_RETRIED_REASONS}
 * (the {@code not_retried} member of its problem body, its log line and the {@code not_retried} tag of the
 * failure counter). Two further reasons, {@value #STATUS_NOT_RETRYABLE} and {@value #RETRY_AFTER_TOO_LONG},
 * only ever decide that an upstream response is passed through, never a failed response of ours.
 */
public final class RetryDecision {
    /** Retry trigger: a failure of the attempt. */
    public static final String FAILURE = "failure";
    /**
     * Retry trigger: a failure whose request never left, retried on an upstream this request has not tried yet
     * without a retry-budget token (a transparent retry; see {@link Retrier}).
     */
    public static final String TRANSPARENT = "transparent";
    /** Retry trigger: an upstream status listed in {@link RetryPolicy#retryOnStatuses()}. */
    public static final String STATUS = "status";
    /** Not retried: the upstream status is not one that is retried (no event is emitted for it). */
    public static final String STATUS_NOT_RETRYABLE = "status_not_retryable";
    /** Not retried: part of the response was already sent to the client. */
    public static final String RESPONSE_COMMITTED = "response_committed";
    /**
     * Not retried: the error type is never retried (the proxy's own or the request's: {@code proxy_*},
     * {@code http_request_*}, {@code destination_not_found}; or an invalid upstream response), or the route
     * does not retry its kind ({@link RetryPolicy#retryOn()}).
     */
    public static final String ERROR_NOT_RETRYABLE = "error_not_retryable";
    /** Not retried: the request may have reached the upstream and its method is not in {@link RetryPolicy#retryableMethods()}. */
    public static final String METHOD_NOT_IDEMPOTENT = "method_not_idempotent";
    /** Not retried: the request may have reached the upstream and its body cannot be sent again. */
    public static final String BODY_NOT_REPLAYABLE = "body_not_replayable";
    /** Not retried: {@link RetryPolicy#maxAttempts()} attempts were made. */
    public static final String ATTEMPTS_EXHAUSTED = "attempts_exhausted";
    /** Not retried: the upstream's {@code Retry-After} is above {@link RetryPolicy#retryAfterCap()}. */
    public static final String RETRY_AFTER_TOO_LONG = "retry_after_too_long";
    /** Not retried: the delay would end at or after the request's end-to-end deadline. */
    public static final String DEADLINE_EXCEEDED = "deadline_exceeded";
    /** Not retried: the route allows one attempt only ({@link RetryPolicy#maxAttempts()} is 1). */
    public static final String RETRY_DISABLED = "retry_disabled";
    /**
     * Not retried: the retry budget had no token for it, or its backend failed and could not grant one (the
     * backend's failure is reported on its own, as a backend failure event).
     */
    public static final String BUDGET_EXHAUSTED = "budget_exhausted";

    /**
     * The reasons a failed response was not retried, the documented list: {@value #BUDGET_EXHAUSTED},
     * {@value #METHOD_NOT_IDEMPOTENT}, {@value #BODY_NOT_REPLAYABLE}, {@value #RESPONSE_COMMITTED},
     * {@value #DEADLINE_EXCEEDED}, {@value #ATTEMPTS_EXHAUSTED}, {@value #ERROR_NOT_RETRYABLE} and
     * {@value #RETRY_DISABLED}. A refusal before any attempt (admission, a loop, no upstream in rotation) is
     * {@value #ERROR_NOT_RETRYABLE}: the guard never retries its own refusals.
     */
    public static final Set<String> NOT_RETRIED_REASONS = Set.of(BUDGET_EXHAUSTED, METHOD_NOT_IDEMPOTENT,
            BODY_NOT_REPLAYABLE, RESPONSE_COMMITTED, DEADLINE_EXCEEDED, ATTEMPTS_EXHAUSTED, ERROR_NOT_RETRYABLE,
            RETRY_DISABLED);

    private final boolean retry;
    private final Duration delay;
    private final String reason;

    private RetryDecision(boolean retry, Duration delay, String reason) {
        this.retry = retry;
        this.delay = delay;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Another attempt after {@code delay} (not negative), triggered by {@code reason}. */
    public static RetryDecision retryAfter(Duration delay, String reason) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0, was " + delay);
        }
        return new RetryDecision(true, delay, reason);
    }

    /** No other attempt, for {@code reason}. */
    public static RetryDecision noRetry(String reason) {
        return new RetryDecision(false, Duration.ZERO, reason);
    }

    /** Whether another attempt is to be made. */
    public boolean retry() {
        return retry;
    }

    /** How long to wait before it; {@link Duration#ZERO} unless {@link #retry()}. */
    public Duration delay() {
        return delay;
    }

    /** The lower-case reason token (see the constants). */
    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryDecision d && retry == d.retry && delay.equals(d.delay) && reason.equals(d.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(retry, delay, reason);
    }

    @Override
    public String toString() {
        return retry ? "RetryDecision[retry after " + delay.toMillis() + " ms, " + reason + "]"
                : "RetryDecision[no retry, " + reason + "]";
    }
}
