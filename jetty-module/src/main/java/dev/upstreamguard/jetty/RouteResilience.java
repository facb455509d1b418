package dev.upstreamguard.jetty;

import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.admission.RouteAdmission;
import dev.upstreamguard.core.health.Upstream;
import dev.upstreamguard.core.health.UpstreamPool;
import dev.upstreamguard.core.retry.Retrier;
import dev.upstreamguard.core.retry.RetryBudget;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The core's resilience parts for one route, all built from the guard's policy: admission (rate limit,
 * then concurrency limit), the upstream pool (rotation and passive health) and the retrier with its budget
 * on the guard's bucket backend. Every part runs on the guard's clock, so a test that injects one into the
 * guard controls them all.
 *
 * <p>Upstream ids are {@code <routeId>-<n>}, {@code n} counting the route's upstream URLs from 1 in the
 * order configured; a route id longer than {@value #MAX_ID_PREFIX} characters is cut to that length
 * first (upstream ids are at most 64 characters).
 */
final class RouteResilience {
    /** The longest route-id part of an upstream id, leaving room for {@code -<n>}. */
    static final int MAX_ID_PREFIX = 58;

    private final RouteAdmission admission;
    private final UpstreamPool pool;
    private final Retrier retrier;

    private RouteResilience(RouteAdmission admission, UpstreamPool pool, Retrier retrier) {
        this.admission = admission;
        this.pool = pool;
        this.retrier = retrier;
    }

    static RouteResilience of(Route route, UpstreamGuard guard) {
        List<Upstream> upstreams = new ArrayList<>(route.upstreams().size());
        int n = 1;
        for (URI uri : route.upstreams()) {
            upstreams.add(new Upstream(upstreamId(route.id(), n++), uri));
        }
        UpstreamPool pool = new UpstreamPool(route.id(), upstreams, guard.policy().health(), guard::nanoTime,
                guard.listener());
        RetryBudget budget = new RetryBudget(route.id(), guard.policy().retry(), guard.bucketBackend());
        Retrier retrier = new Retrier(route.id(), guard.policy().retry(), budget, guard::nanoTime,
                () -> ThreadLocalRandom.current().nextDouble(), guard.listener());
        return new RouteResilience(guard.admission(route.id()), pool, retrier);
    }

    /** The id of the {@code n}-th (1-based) upstream of route {@code routeId}. */
    static String upstreamId(String routeId, int n) {
        String prefix = routeId.length() > MAX_ID_PREFIX ? routeId.substring(0, MAX_ID_PREFIX) : routeId;
        return prefix + "-" + n;
    }

    RouteAdmission admission() {
        return admission;
    }

    UpstreamPool pool() {
        return pool;
    }

    Retrier retrier() {
        return retrier;
    }
}
