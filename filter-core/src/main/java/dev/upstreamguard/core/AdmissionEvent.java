package dev.upstreamguard.core;

/**
 * A request was refused before any upstream was tried: rate limited, over the route's concurrency
 * limit, every upstream ejected, or the route's circuit breaker open.
 *
 * @param routeId           the route's configured id
 * @param kind              why it was refused
 * @param status            the status answered (429 or 503)
 * @param retryAfterSeconds the {@code Retry-After} sent
 */
public record AdmissionEvent(String routeId, Kind kind, int status, long retryAfterSeconds) {

    /** Why the request was refused. */
    public enum Kind {
        /** The client's rate limit was reached (429). */
        RATE_LIMITED,
        /** The route's concurrency limit was reached (503 {@code connection_limit_reached}). */
        CONCURRENCY_LIMITED,
        /** Every upstream of the route was ejected (503 {@code destination_unavailable}). */
        NO_HEALTHY_UPSTREAM,
        /** The route's circuit breaker is open, or half-open with its probes under way (503 {@code destination_unavailable}). */
        CIRCUIT_OPEN;

        /** Lower-case tag value. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
