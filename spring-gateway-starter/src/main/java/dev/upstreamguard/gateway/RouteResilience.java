package dev.upstreamguard.gateway;

import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.admission.RouteAdmission;
import dev.upstreamguard.core.retry.Retrier;
import dev.upstreamguard.core.retry.RetryBudget;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stateful resilience parts of one route under one guard (the global one, or a route's own): its
 * admission (rate and concurrency limits) and its retrier (with the route's retry budget on the guard's
 * bucket backend). Created on first use and kept: their limiters and budget hold state across requests.
 * Bounded by the number of routes.
 */
final class RouteResilience {

    /** One route's parts. */
    record Parts(RouteAdmission admission, Retrier retrier) {
    }

    private record Key(UpstreamGuard guard, String routeId) {
    }

    private final Map<Key, Parts> byRoute = new ConcurrentHashMap<>();

    Parts of(UpstreamGuard guard, String routeId) {
        return byRoute.computeIfAbsent(new Key(guard, routeId), key -> new Parts(
                key.guard().admission(key.routeId()),
                Retrier.withSystemClocks(key.routeId(), key.guard().policy().retry(),
                        new RetryBudget(key.routeId(), key.guard().policy().retry(), key.guard().bucketBackend()),
                        key.guard().listener())));
    }
}
