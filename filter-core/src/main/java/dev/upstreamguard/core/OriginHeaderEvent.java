package dev.upstreamguard.core;


/**
 * This application's own response head would be refused by the proxy in front of it.
 *
 * @param routeId    the filter's or route's configured id
 * @param kind       what was wrong
 * @param fieldName  the offending field's name, or {@code null} for the whole section
 * @param size       the measured size in bytes (field or section)
 * @param budget     the configured budget in bytes
 * @param action     what the guard did
 */
public record OriginHeaderEvent(String routeId, Kind kind, String fieldName, int size, int budget,
                                OriginGuardAction action) {

    /** What was wrong with the head. */
    public enum Kind {
        /** The header section is larger than the front proxy's buffer. */
        SECTION_OVER_BUDGET,
        /** A field name or value has characters RFC 9110 §5 forbids (CR, LF, NUL, other CTLs, non-token names). */
        ILLEGAL_CHARACTER;

        /** Lower-case tag value. */
        public String tag() {
            return this == SECTION_OVER_BUDGET ? "section_over_budget" : "illegal_character";
        }
    }
}
