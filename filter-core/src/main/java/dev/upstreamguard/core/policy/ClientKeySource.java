package dev.upstreamguard.core.policy;

/** What identifies a client for its rate limit ({@link RateLimitPolicy#keySource()}). */
public enum ClientKeySource {
    /** The client's IP address as the packaging sees it (the peer, or what a trusted forwarder said). */
    ADDRESS,
    /**
     * The value of a configured request header (e.g. an API key); requests without it fall back to the
     * address. Only sound when something in front authenticates that header: otherwise a client can pick a
     * fresh value per request.
     */
    HEADER
}
