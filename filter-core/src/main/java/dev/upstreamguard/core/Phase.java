package dev.upstreamguard.core;

/**
 * Where in the exchange with the next hop a failure happened. The phase decides between verdicts the
 * exception alone cannot tell apart (a reset before any response byte is {@code connection_terminated};
 * after part of the head or mid-body it is {@code http_response_incomplete}), and it names the operator's
 * log phrase ("while reading response header from upstream").
 */
public enum Phase {
    /** Before any upstream was chosen: admission, rate limits, routing. */
    ADMISSION("while admitting the request"),
    /** Resolving the upstream's host name. */
    RESOLVE("while resolving upstream host name"),
    /** Establishing the TCP connection. */
    CONNECT("while connecting to upstream"),
    /** The TLS handshake with the upstream. */
    TLS_HANDSHAKE("during TLS handshake with upstream"),
    /** Writing the request head or body upstream. */
    SEND_REQUEST("while sending request to upstream"),
    /** The request was sent; no response byte has arrived yet. */
    AWAIT_RESPONSE("while reading response header from upstream"),
    /** Part of the response head arrived, not all of it. */
    READ_HEAD("while reading response header from upstream"),
    /** The head was received; the body was being read (before or after the client response was committed). */
    READ_BODY("while reading upstream"),
    /** The integration does not know. */
    UNKNOWN("while proxying to upstream");

    private final String logPhrase;

    Phase(String logPhrase) {
        this.logPhrase = logPhrase;
    }

    /** The nginx-like tail of the operator's log line, e.g. "while connecting to upstream". */
    public String logPhrase() {
        return logPhrase;
    }

    /** Whether any response byte may have been received in this phase. */
    public boolean responseStarted() {
        return this == READ_HEAD || this == READ_BODY;
    }
}
