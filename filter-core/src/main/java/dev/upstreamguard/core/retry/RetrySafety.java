package dev.upstreamguard.core.retry;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;

import java.util.EnumSet;
import java.util.Set;

/** The safety rules of a retry: what may be sent again, and when. */
final class RetrySafety {
    /** Types that by themselves mean no connection to the upstream was made, whatever phase is reported. */
    private static final Set<ErrorType> NEVER_CONNECTED = EnumSet.of(ErrorType.DNS_ERROR, ErrorType.DNS_TIMEOUT,
            ErrorType.CONNECTION_REFUSED, ErrorType.CONNECTION_LIMIT_REACHED, ErrorType.DESTINATION_UNAVAILABLE,
            ErrorType.DESTINATION_IP_UNROUTABLE);
    /** Phases that end before the first request byte is written. */
    private static final Set<Phase> BEFORE_SENDING = EnumSet.of(Phase.ADMISSION, Phase.RESOLVE, Phase.CONNECT,
            Phase.TLS_HANDSHAKE);
    /** The proxy's own errors and the request's: another attempt gives the same answer. */
    private static final Set<ErrorType> NEVER_RETRIED = EnumSet.of(ErrorType.PROXY_INTERNAL_RESPONSE,
            ErrorType.PROXY_INTERNAL_ERROR, ErrorType.PROXY_CONFIGURATION_ERROR, ErrorType.PROXY_LOOP_DETECTED,
            ErrorType.HTTP_REQUEST_ERROR, ErrorType.HTTP_REQUEST_DENIED, ErrorType.DESTINATION_NOT_FOUND);

    private RetrySafety() {
    }

    static boolean requestNeverLeft(UpstreamFailure failure) {
        return NEVER_CONNECTED.contains(failure.type()) || BEFORE_SENDING.contains(failure.phase());
    }

    static boolean neverRetried(ErrorType type) {
        return NEVER_RETRIED.contains(type);
    }

    static boolean isIdempotentlyRetryable(String method, RetryPolicy policy) {
        return method != null && policy.retryableMethods().contains(method);
    }

    /** Why a failure must not be retried, or {@code null} when it is safe to (attempts aside). */
    static String refusalAfterFailure(AttemptContext ctx, UpstreamFailure failure, RetryPolicy policy) {
        if (ctx.responseCommitted()) {
            return RetryDecision.RESPONSE_COMMITTED;
        }
        if (neverRetried(failure.type())) {
            return RetryDecision.ERROR_NOT_RETRYABLE;
        }
        return requestNeverLeft(failure) ? null : refusalOnceSent(ctx, policy);
    }

    /** Why a request that may have reached the upstream must not be sent again, or {@code null}. */
    static String refusalOnceSent(AttemptContext ctx, RetryPolicy policy) {
        if (ctx.responseCommitted()) {
            return RetryDecision.RESPONSE_COMMITTED;
        }
        if (!isIdempotentlyRetryable(ctx.method(), policy)) {
            return RetryDecision.UNSAFE_METHOD;
        }
        if (!ctx.bodyReplayable()) {
            return RetryDecision.BODY_NOT_REPLAYABLE;
        }
        return null;
    }
}
