package dev.upstreamguard.core;

/**
 * The result of one attempt to take tokens from a bucket.
 *
 * @param consumed             whether the tokens were taken
 * @param remainingTokens      tokens left after the attempt (never negative)
 * @param nanosToWaitForRefill when not consumed: how long until enough tokens are back (0 when consumed)
 * @param fromBackend          false when the backend failed and a {@link BackendFailureMode} decided
 */
public record Consumption(boolean consumed, long remainingTokens, long nanosToWaitForRefill, boolean fromBackend) {

    /** Checks the invariants. */
    public Consumption {
        if (remainingTokens < 0) {
            remainingTokens = 0;
        }
        if (nanosToWaitForRefill < 0) {
            throw new IllegalArgumentException("nanosToWaitForRefill must be >= 0, was " + nanosToWaitForRefill);
        }
    }
}
