package dev.upstreamguard.core;

/**
 * What the request that produced a response asked for, as far as validating the response head needs it.
 *
 * @param upgradeRequested the request carried {@code Upgrade} (RFC 9110 §7.8), so a
 *                         {@code 101 Switching Protocols} is a legitimate answer
 * @param headRequest      the request method was HEAD, so the response has no content (RFC 9110 §9.3.2)
 *                         and its transfer codings are never decoded
 */
public record ValidationContext(boolean upgradeRequested, boolean headRequest) {

    /** A plain request: no upgrade asked for, not HEAD. */
    public static final ValidationContext DEFAULT = new ValidationContext(false, false);
}
