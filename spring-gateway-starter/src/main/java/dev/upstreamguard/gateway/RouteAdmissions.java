package dev.upstreamguard.gateway;

import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.admission.RouteAdmission;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link RouteAdmission} per route and guard (the global one, or a route's own), created on first use:
 * its limiters hold state across requests. Bounded by the number of routes.
 */
final class RouteAdmissions {

    private record Key(UpstreamGuard guard, String routeId) {
    }

    private final Map<Key, RouteAdmission> byRoute = new ConcurrentHashMap<>();

    RouteAdmission of(UpstreamGuard guard, String routeId) {
        return byRoute.computeIfAbsent(new Key(guard, routeId), key -> key.guard().admission(key.routeId()));
    }
}
