package dev.upstreamguard.core.policy;

import java.util.Locale;

/**
 * What kind of failed attempt a route retries ({@code retry.conditions}). Only {@link #CONNECT_FAILURE} is on by
 * default: it covers attempts whose request provably never reached the upstream, which are safe to send
 * again for any method. The others cover attempts whose request may have been received and processed;
 * they are retried only for methods in {@link RetryPolicy#retryableMethods()} with a replayable body.
 *
 * <p>The split follows what the careful meshes do by default: a request is sent again automatically only
 * when the upstream cannot have seen it; timeouts, resets after sending and upstream gateway errors are
 * the operator's opt-in, because an upstream that was slow or failed mid-request may have acted on it.
 */
public enum RetryCondition {
    /**
     * The request never left: name resolution failed, the connection was refused or timed out, the proxy's
     * own pool or limit refused it, or the connection closed before the first request byte was written.
     */
    CONNECT_FAILURE("connect-failure"),
    /** The connection was reset or closed, or TLS failed, after the request may have been written. */
    RESET("reset"),
    /** No complete response head in time after the request may have been written (or a read/write timed out). */
    TIMEOUT("timeout"),
    /** The upstream answered with a status listed in {@link RetryPolicy#retryOnStatuses()}. */
    STATUS("status");

    private final String token;

    RetryCondition(String token) {
        this.token = token;
    }

    /** The configuration token, e.g. {@code connect-failure}. */
    public String token() {
        return token;
    }

    /**
     * The condition named {@code token} (case-insensitive, {@code _} accepted for {@code -}).
     *
     * @throws IllegalArgumentException naming the accepted tokens
     */
    public static RetryCondition fromToken(String token) {
        String normal = token == null ? "" : token.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (RetryCondition c : values()) {
            if (c.token.equals(normal)) {
                return c;
            }
        }
        throw new IllegalArgumentException("retry condition must be one of connect-failure, reset, timeout, status;"
                + " was " + token);
    }

    @Override
    public String toString() {
        return token;
    }
}
