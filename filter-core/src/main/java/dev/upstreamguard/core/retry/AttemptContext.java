package dev.upstreamguard.core.retry;

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
 */
public record AttemptContext(String method, boolean bodyReplayable, boolean responseCommitted, int attempt,
                             long startNanos) {

    /** Checks the method and the attempt number. */
    public AttemptContext {
        Objects.requireNonNull(method, "method");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
    }
}
