package dev.upstreamguard.status;

import java.util.List;
import java.util.Objects;

/**
 * One route and the health of its upstreams.
 *
 * @param routeId    the route's id as registered
 * @param upstreams  its upstreams in the pool's order
 * @param healthKnown false when the route's health supplier failed; {@code upstreams} is then empty
 */
public record RouteStatus(String routeId, List<UpstreamStatus> upstreams, boolean healthKnown) {

    /** Freezes the list. */
    public RouteStatus {
        Objects.requireNonNull(routeId, "routeId");
        upstreams = List.copyOf(upstreams);
    }

    /** How many of its upstreams are out of rotation. */
    public int ejectedCount() {
        return (int) upstreams.stream().filter(UpstreamStatus::ejected).count();
    }
}
