package dev.upstreamguard.core;


import java.util.Objects;

/**
 * One upstream failure, or one upstream 5xx passed through, as listeners see it.
 *
 * @param routeId      the route's configured id (low cardinality), never a raw path
 * @param upstreamId   the upstream's configured id, or {@code null} when none was chosen
 * @param failure      the classified failure; for {@link Origin#UPSTREAM} events {@code null}
 * @param status       the status the client got (or would have got, for {@code aborted} events)
 * @param origin       who made the error
 * @param aborted      true when the client response was already committed and had to be aborted
 * @param attempt      1-based attempt number
 * @param maxAttempts  attempts allowed for this request
 * @param elapsedNanos time from the start of the exchange to the failure
 * @param requestId    the request id echoed to the client
 * @param notRetried   why no further attempt was made (a lower-case token such as {@code method_not_idempotent}),
 *                     or {@code null} when no upstream attempt was involved
 */
public record FailureEvent(String routeId, String upstreamId, UpstreamFailure failure, int status, Origin origin,
                           boolean aborted, int attempt, int maxAttempts, long elapsedNanos, String requestId,
                           String notRetried) {

    /** Checks the invariants. */
    public FailureEvent {
        Objects.requireNonNull(routeId, "routeId");
        Objects.requireNonNull(origin, "origin");
        if (origin == Origin.PROXY) {
            Objects.requireNonNull(failure, "failure");
        }
    }

    /** An event without a not-retried reason (no attempt was involved, or the packaging does not decide retries). */
    public FailureEvent(String routeId, String upstreamId, UpstreamFailure failure, int status, Origin origin,
                        boolean aborted, int attempt, int maxAttempts, long elapsedNanos, String requestId) {
        this(routeId, upstreamId, failure, status, origin, aborted, attempt, maxAttempts, elapsedNanos, requestId, null);
    }

    /** The RFC 9209 token, or {@code "none"} for a passed-through upstream 5xx. */
    public String errorToken() {
        return failure == null ? "none" : failure.type().token();
    }

    /** Elapsed time in milliseconds. */
    public long elapsedMillis() {
        return elapsedNanos / 1_000_000L;
    }
}
