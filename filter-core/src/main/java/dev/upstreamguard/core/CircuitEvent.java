package dev.upstreamguard.core;

/**
 * A route's circuit breaker changed state: it opened, it let probes through (half-open), or it closed.
 *
 * @param routeId             the route's configured id
 * @param kind                the state it entered
 * @param consecutiveFailures failed requests in a row that opened it (0 unless {@code OPENED}; 1 when a
 *                            half-open probe failed)
 * @param openMillis          how long it stays open ({@code 0} unless {@code OPENED})
 */
public record CircuitEvent(String routeId, Kind kind, int consecutiveFailures, long openMillis) {

    /** The state the circuit entered. */
    public enum Kind {
        /** Requests are answered 503 at admission, without reaching an upstream. */
        OPENED,
        /** The open time is over: a few probe requests go through. */
        HALF_OPEN,
        /** A probe succeeded: every request goes through again. */
        CLOSED;

        /** Lower-case tag value. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
