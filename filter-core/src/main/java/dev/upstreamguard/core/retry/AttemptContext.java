package dev.upstreamguard.core.retry;

import dev.upstreamguard.core.policy.RetryPolicy;
import java.util.Objects;

/**
 * What the packaging knows about a request and the attempt that just ended when it asks the
 * {@link Retrier} whether to try again.
 *
 * @param method            the request method exactly as received (RFC 9110 §9.1: methods are case-sensitive)
 * @param bodyReplayable    whether the request body can be sent again: there is none, or all of it was
 *                          buffered (up to {@link RetryPolicy#maxReplayableBodyBytes()})
 * @param responseCommitted whether anything of the response was already sent to the client
 * @param attempt           the attempt that just ended, 1-based
 * @param startNanos        when the request started, on the {@link Retrier}'s nano clock
 * @param delivery          how far the attempt's request got, as observed
 * @param deadlineNanos     the request's end-to-end deadline, counted from {@code startNanos}; 0 for the
 *                          policy's {@link RetryPolicy#overallDeadline()} (or its default)
 * @param untriedUpstream   whether the route has an upstream this request has not tried yet, where its next
 *                          attempt would go (in rotation or ejected): a retry of a request that never left is
 *                          then transparent, not charged to the retry budget (see {@link Retrier})
 */
public record AttemptContext(String method, boolean bodyReplayable, boolean responseCommitted, int attempt,
                             long startNanos, RequestDelivery delivery, long deadlineNanos, boolean untriedUpstream) {

    /** Checks the method, the attempt number and the deadline. */
    public AttemptContext {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(delivery, "delivery");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
        if (deadlineNanos < 0) {
            throw new IllegalArgumentException("deadlineNanos must be >= 0, was " + deadlineNanos);
        }
    }

    /** A context whose delivery was not observed ({@link RequestDelivery#UNKNOWN}), under the policy's deadline. */
    public AttemptContext(String method, boolean bodyReplayable, boolean responseCommitted, int attempt,
                          long startNanos) {
        this(method, bodyReplayable, responseCommitted, attempt, startNanos, RequestDelivery.UNKNOWN, 0, false);
    }
}
