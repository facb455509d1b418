package dev.upstreamguard.core;

/**
 * What the origin-side guard does when this application's own response head would be refused by a
 * proxy in front of it (too large for its buffer, or carrying characters RFC 9110 §5.5 forbids).
 */
public enum OriginGuardAction {
    /** Log one line and count it; send the response unchanged (the default). */
    WARN,
    /** Replace the response with a 500 {@code proxy_configuration_error} before anything is committed. */
    REJECT,
    /**
     * Remove the offending field lines (illegal ones, then the largest removable ones) and send the rest;
     * other values of the same field name (another {@code Set-Cookie}) are kept.
     */
    STRIP
}
