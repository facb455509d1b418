package dev.upstreamguard.core;

/**
 * An upstream was ejected from its route by passive health checking, or came back.
 *
 * @param routeId             the route's configured id
 * @param upstreamId          the upstream's configured id
 * @param kind                ejected or restored
 * @param consecutiveFailures gateway failures in a row that led to the ejection (0 for restored)
 * @param ejectionMillis      how long it is ejected for (0 for restored)
 * @param ejectionCount       how many times it has been ejected in a row (drives the growing ejection time)
 */
public record HealthEvent(String routeId, String upstreamId, Kind kind, int consecutiveFailures, long ejectionMillis,
                          int ejectionCount) {

    /** What happened. */
    public enum Kind {
        /** Taken out of rotation. */
        EJECTED,
        /** Back in rotation. */
        RESTORED;

        /** Lower-case tag value. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
