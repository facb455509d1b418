package dev.upstreamguard.testkit;

/** What the client of a guarded proxy must see in a {@link Scenario}. */
public enum Outcome {
    /**
     * The proxy made the error response before anything was committed: the scenario's status, a
     * {@code Proxy-Status} member with its error token, and a problem-details body.
     */
    VERDICT,
    /**
     * The failure happened after the head was relayed (status committed): the client must see the
     * body truncated (connection closed or stream reset, no last-chunk); the proxy logs and counts the
     * error token.
     */
    TRUNCATED,
    /** The upstream's own status is relayed, with {@code received-status} and no error token. */
    PASSED_THROUGH,
    /** A 200 whose body equals {@link MisbehavingUpstream#CONTROL_BODY} byte for byte. */
    CONTROL
}
