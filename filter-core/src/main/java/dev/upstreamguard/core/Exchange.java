package dev.upstreamguard.core;

import java.util.List;
import java.util.Objects;

/**
 * What a packaging knows about the exchange when it asks the guard for a verdict. Built per request by
 * the packaging; nothing here is ever written to the client except through the exposure policy.
 *
 * @param routeId            the route's configured id (never a raw path: it becomes a metric tag)
 * @param upstreamId         the upstream's configured id, or {@code null}
 * @param nextHop            what {@code next-hop} may say when exposure allows (an alias or host), or {@code null}
 * @param remoteAddress      the client's IP literal, for the exposure policy; {@code null} when unknown
 * @param accept             the request's {@code Accept} header, or {@code null}
 * @param requestId          the request id to echo (see {@link RequestIds})
 * @param receivedProxyStatus {@code Proxy-Status} field lines received from upstream, to append to
 * @param attempt            1-based attempt number
 * @param maxAttempts        attempts allowed
 * @param startNanos         {@link System#nanoTime()} (or the guard's clock) when the exchange started
 */
public record Exchange(String routeId, String upstreamId, String nextHop, String remoteAddress, String accept,
                       String requestId, List<String> receivedProxyStatus, int attempt, int maxAttempts,
                       long startNanos) {

    /** Checks the invariants. */
    public Exchange {
        Objects.requireNonNull(routeId, "routeId");
        receivedProxyStatus = receivedProxyStatus == null ? List.of() : List.copyOf(receivedProxyStatus);
        if (attempt < 1 || maxAttempts < attempt) {
            throw new IllegalArgumentException("attempt must be 1.." + maxAttempts + ", was " + attempt);
        }
    }

    /** A single-attempt exchange on {@code routeId}. */
    public static Exchange of(String routeId, String remoteAddress, String accept, String requestId, long startNanos) {
        return new Exchange(routeId, null, null, remoteAddress, accept, requestId, List.of(), 1, 1, startNanos);
    }

    /** A copy with upstream Proxy-Status lines to append to. */
    public Exchange withReceivedProxyStatus(List<String> lines) {
        return new Exchange(routeId, upstreamId, nextHop, remoteAddress, accept, requestId, lines, attempt,
                maxAttempts, startNanos);
    }

    /** A copy naming the chosen upstream. */
    public Exchange withUpstream(String newUpstreamId, String newNextHop) {
        return new Exchange(routeId, newUpstreamId, newNextHop, remoteAddress, accept, requestId,
                receivedProxyStatus, attempt, maxAttempts, startNanos);
    }

    /** A copy for another attempt. */
    public Exchange withAttempt(int newAttempt, int newMaxAttempts) {
        return new Exchange(routeId, upstreamId, nextHop, remoteAddress, accept, requestId, receivedProxyStatus,
                newAttempt, newMaxAttempts, startNanos);
    }
}
