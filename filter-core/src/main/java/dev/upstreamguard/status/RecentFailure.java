package dev.upstreamguard.status;

import java.time.Instant;
import java.util.Objects;

/**
 * One of the last failures, as the operator's log line tells it but without the cause: no exception
 * message, host or address.
 *
 * @param time        when the guard reported it
 * @param routeId     the route's configured id
 * @param upstreamId  the upstream's configured id, or {@code null} when none was chosen or the packaging
 *                    reported something that is not an id (such as {@code host:port})
 * @param error       the RFC 9209 error token, or {@value StatusReport#UPSTREAM_5XX} for an upstream 5xx
 *                    passed through
 * @param status      the status the client got (the committed one for aborted responses)
 * @param phase       where it happened, lower case ({@code connect}, {@code await_response}, …), or
 *                    {@code null} for an upstream 5xx
 * @param origin      {@code proxy} or {@code upstream}
 * @param aborted     the client response was committed and had to be aborted
 * @param attempt     1-based attempt number
 * @param maxAttempts attempts allowed
 * @param logPhrase   the operator's phrase, e.g. "upstream refused connection while connecting to upstream"
 */
public record RecentFailure(Instant time, String routeId, String upstreamId, String error, int status, String phase,
                           String origin, boolean aborted, int attempt, int maxAttempts, String logPhrase) {

    /** Rejects missing required parts. */
    public RecentFailure {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(routeId, "routeId");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(logPhrase, "logPhrase");
    }
}
