package dev.upstreamguard.core;

/** Who made an error response: told apart in logs and metrics (users could not, see SCG issue 3946). */
public enum Origin {
    /** The proxy made the error response (a classified upstream failure). */
    PROXY,
    /** The upstream answered 5xx itself and the response was passed through. */
    UPSTREAM;

    /** Lower-case tag value. */
    public String tag() {
        return this == PROXY ? "proxy" : "upstream";
    }
}
