package dev.upstreamguard.core.classify;

import java.net.URI;

/** A real HTTP client configured like a gateway would: 500 ms connect timeout, 1 s response timeout, no retries. */
interface RealClient extends AutoCloseable {

    java.time.Duration CONNECT_TIMEOUT = java.time.Duration.ofMillis(500);
    java.time.Duration RESPONSE_TIMEOUT = java.time.Duration.ofSeconds(1);

    /** Sends {@code GET uri}, reads the whole body, and reports what happened. Never throws. */
    RealClientAttempt get(URI uri);

    @Override
    void close() throws Exception;
}
