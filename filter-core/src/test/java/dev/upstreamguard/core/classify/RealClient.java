package dev.upstreamguard.core.classify;

import java.net.URI;

/**
 * A real HTTP client configured like a gateway would: a short connect timeout, a 1 s response timeout, no
 * retries. The connect timeout is 1.5 s, not the usual 500 ms: the JDK client counts the TLS handshake in it,
 * and a handshake under a loaded build machine took longer than 500 ms (classified as connection_timeout).
 */
interface RealClient extends AutoCloseable {

    java.time.Duration CONNECT_TIMEOUT = java.time.Duration.ofMillis(1500);
    java.time.Duration RESPONSE_TIMEOUT = java.time.Duration.ofSeconds(1);

    /** Sends {@code GET uri}, reads the whole body, and reports what happened. Never throws. */
    RealClientAttempt get(URI uri);

    @Override
    void close() throws Exception;
}
