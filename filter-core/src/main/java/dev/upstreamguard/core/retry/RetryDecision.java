package dev.upstreamguard.core.retry;

import dev.upstreamguard.core.policy.RetryPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Whether to make another attempt, after what delay, and why. Immutable; made by the static factories.
 *
 * <p>The reason is a lower-case token, the same one the {@link dev.upstreamguard.core.RetryEvent}
 * carries: for a retry its trigger ({@value #FAILURE} or {@value #STATUS}), otherwise why not.
 */
public final class RetryDecision {
    /** Retry trigger: a failure of the attempt. */
    public static final String FAILURE = "failure";
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
    /** Not retried: the retry budget had no token for it. */
    public static final String BUDGET_EXHAUSTED = "budget_exhausted";
    /** Not retried: the retry budget's backend failed, so it could not grant a token (the retry is denied). */
    public static final String BUDGET_UNAVAILABLE = "budget_unavailable";

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
