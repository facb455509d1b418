package dev.upstreamguard.core.retry;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.policy.RetryCondition;
import dev.upstreamguard.core.policy.RetryPolicy;

import java.util.EnumSet;
import java.util.Set;

/** The safety rules of a retry: what may be sent again, and when. */
final class RetrySafety {
    /** Types that by themselves mean no connection to the upstream was made, whatever phase is reported. */
    private static final Set<ErrorType> NEVER_CONNECTED = EnumSet.of(ErrorType.DNS_ERROR, ErrorType.DNS_TIMEOUT,
            ErrorType.CONNECTION_REFUSED, ErrorType.CONNECTION_LIMIT_REACHED, ErrorType.DESTINATION_UNAVAILABLE,
            ErrorType.DESTINATION_IP_UNROUTABLE);
    /** The proxy's own errors and the request's: another attempt gives the same answer. */
    private static final Set<ErrorType> NEVER_RETRIED = EnumSet.of(ErrorType.PROXY_INTERNAL_RESPONSE,
            ErrorType.PROXY_INTERNAL_ERROR, ErrorType.PROXY_CONFIGURATION_ERROR, ErrorType.PROXY_LOOP_DETECTED,
            ErrorType.HTTP_REQUEST_ERROR, ErrorType.HTTP_REQUEST_DENIED, ErrorType.DESTINATION_NOT_FOUND);
    /** A request that may have been received got no (complete) head in time: {@link RetryCondition#TIMEOUT}. */
    private static final Set<ErrorType> TIMEOUTS = EnumSet.of(ErrorType.CONNECTION_TIMEOUT,
            ErrorType.CONNECTION_READ_TIMEOUT, ErrorType.CONNECTION_WRITE_TIMEOUT, ErrorType.HTTP_RESPONSE_TIMEOUT);
    /** The connection broke after the request may have been written: {@link RetryCondition#RESET}. */
    private static final Set<ErrorType> RESETS = EnumSet.of(ErrorType.CONNECTION_TERMINATED,
            ErrorType.HTTP_RESPONSE_INCOMPLETE, ErrorType.TLS_PROTOCOL_ERROR, ErrorType.TLS_ALERT_RECEIVED,
            ErrorType.TLS_CERTIFICATE_ERROR);

    private RetrySafety() {
    }

    /** Whether the error type alone proves that no connection was made. */
    static boolean neverConnected(ErrorType type) {
        return NEVER_CONNECTED.contains(type);
    }

    /**
     * Whether the request of the attempt certainly never reached the upstream. What the packaging observed
     * decides; only when it could not observe ({@link RequestDelivery#UNKNOWN}) may the error type prove it.
     * An observed "may have been sent" is never overruled by a type that says "never connected".
     */
    static boolean requestNeverLeft(AttemptContext ctx, UpstreamFailure failure) {
        return switch (ctx.delivery()) {
            case NOT_SENT -> true;
            case MAY_HAVE_BEEN_SENT -> false;
            case UNKNOWN -> neverConnected(failure.type());
        };
    }

    static boolean neverRetried(ErrorType type) {
        return NEVER_RETRIED.contains(type);
    }

    /**
     * The condition a failure of a request that may have been received falls under, or {@code null} when
     * no condition retries it (the upstream answered something invalid: another attempt is not safer).
     */
    static RetryCondition conditionOnceSent(ErrorType type) {
        if (TIMEOUTS.contains(type)) {
            return RetryCondition.TIMEOUT;
        }
        return RESETS.contains(type) ? RetryCondition.RESET : null;
    }

    static boolean isIdempotentlyRetryable(String method, RetryPolicy policy) {
        return method != null && policy.retryableMethods().contains(method);
    }

    /** Why a failure must not be retried, or {@code null} when it is safe and wanted (attempts aside). */
    static String refusalAfterFailure(AttemptContext ctx, UpstreamFailure failure, RetryPolicy policy) {
        if (ctx.responseCommitted()) {
            return RetryDecision.RESPONSE_COMMITTED;
        }
        if (neverRetried(failure.type())) {
            return RetryDecision.ERROR_NOT_RETRYABLE;
        }
        if (requestNeverLeft(ctx, failure)) {
            return policy.retriesOn(RetryCondition.CONNECT_FAILURE) ? null : RetryDecision.ERROR_NOT_RETRYABLE;
        }
        RetryCondition condition = conditionOnceSent(failure.type());
        if (condition == null || !policy.retriesOn(condition)) {
            return RetryDecision.ERROR_NOT_RETRYABLE;
        }
        return refusalOnceSent(ctx, policy);
    }

    /** Why a request that may have reached the upstream must not be sent again, or {@code null}. */
    static String refusalOnceSent(AttemptContext ctx, RetryPolicy policy) {
        if (ctx.responseCommitted()) {
            return RetryDecision.RESPONSE_COMMITTED;
        }
        if (!isIdempotentlyRetryable(ctx.method(), policy)) {
            return RetryDecision.METHOD_NOT_IDEMPOTENT;
        }
        if (!ctx.bodyReplayable()) {
            return RetryDecision.BODY_NOT_REPLAYABLE;
        }
        return null;
    }
}
