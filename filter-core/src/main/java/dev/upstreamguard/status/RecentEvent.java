package dev.upstreamguard.status;

import java.time.Instant;
import java.util.Objects;

/**
 * One event of the guard's own, for the status page: an upstream ejected or back in rotation, a route entering
 * or leaving panic mode, or a request refused before any upstream (rate limit, concurrency limit, no upstream
 * in rotation, an open circuit).
 *
 * @param time       when it happened
 * @param routeId    the route
 * @param kind       {@code ejected}, {@code restored}, {@code panic_entered}, {@code panic_left},
 *                   {@code rate_limited}, {@code concurrency_limited}, {@code no_healthy_upstream} or
 *                   {@code circuit_open}
 * @param upstreamId the upstream's configured id, or {@code null} (refusals; never an address)
 * @param reason     why, in a few words, e.g. {@code 5 consecutive failures, ejected for 30 s}
 */
public record RecentEvent(Instant time, String routeId, String kind, String upstreamId, String reason) {

    /** Checks the values. */
    public RecentEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(routeId, "routeId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }
}
