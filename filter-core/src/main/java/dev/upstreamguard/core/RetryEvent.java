package dev.upstreamguard.core;


/**
 * A retry was scheduled or refused.
 *
 * @param routeId        the route's configured id
 * @param upstreamId     the upstream of the attempt that failed, or {@code null}
 * @param attempt        the attempt that failed (1-based)
 * @param maxAttempts    attempts allowed
 * @param outcome        what was decided
 * @param reason         a lower-case reason token: for {@link Outcome#SCHEDULED} the trigger
 *                       ({@code failure} or {@code status}); otherwise why not (e.g. {@code budget_exhausted},
 *                       {@code method_not_idempotent}, {@code retry_after_too_long})
 * @param delayMillis    the backoff before the next attempt (0 unless scheduled)
 * @param failure        the failure that triggered the decision, or {@code null} for a status
 * @param receivedStatus the upstream status that triggered it, or 0 for a failure
 */
public record RetryEvent(String routeId, String upstreamId, int attempt, int maxAttempts, Outcome outcome, String reason,
                         long delayMillis, UpstreamFailure failure, int receivedStatus) {

    /** What was decided. */
    public enum Outcome {
        /** Another attempt will be made after {@code delayMillis}. */
        SCHEDULED,
        /** The retry budget refused it; the original failure is answered. */
        DENIED_BY_BUDGET,
        /** Not retried for another reason (unsafe, exhausted, deadline, …). */
        NOT_RETRIED,
        /** A later attempt succeeded: the retry paid off ({@code attempt} is the successful one). */
        SUCCEEDED_AFTER_RETRY;

        /** Lower-case tag value. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
