package dev.upstreamguard.status;

import dev.upstreamguard.core.UpstreamHealth;
import dev.upstreamguard.core.lifecycle.UpstreamPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The routes a status page shows, each with a supplier of its upstreams' health (usually
 * {@link UpstreamPool#health()}), and the {@link FailureHistory} that listens to the guard. Thread-safe;
 * {@link #report()} takes one consistent-enough snapshot for a page.
 * <pre>{@code
 * StatusRegistry status = new StatusRegistry(new FailureHistory());
 * UpstreamGuard guard = UpstreamGuard.builder().addListener(status.history()).build();
 * status.register(pool);   // or status.register("orders", pool::health)
 * String page = StatusRenderer.html(status.report());
 * }</pre>
 */
public final class StatusRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(StatusRegistry.class);

    private record Registration(long order, Supplier<List<UpstreamHealth>> health) {
    }

    private final FailureHistory history;
    private final Map<String, Registration> routes = new ConcurrentHashMap<>();
    private final AtomicLong order = new AtomicLong();

    /** A registry reporting {@code history}. */
    public StatusRegistry(FailureHistory history) {
        this.history = Objects.requireNonNull(history, "history");
    }

    /** The history to add to the guard as a listener. */
    public FailureHistory history() {
        return history;
    }

    /**
     * Shows route {@code routeId} with the upstreams {@code health} supplies (called once per report; it must
     * be fast and must not block). Registering a route id again replaces its supplier and keeps its place.
     */
    public StatusRegistry register(String routeId, Supplier<List<UpstreamHealth>> health) {
        Objects.requireNonNull(routeId, "routeId");
        Objects.requireNonNull(health, "health");
        routes.compute(routeId, (id, old) -> new Registration(old == null ? order.getAndIncrement() : old.order(), health));
        return this;
    }

    /** Shows {@code pool}'s route and upstreams. */
    public StatusRegistry register(UpstreamPool pool) {
        return register(pool.routeId(), pool::health);
    }

    /** Stops showing route {@code routeId}. */
    public StatusRegistry unregister(String routeId) {
        routes.remove(routeId);
        return this;
    }

    /** A snapshot: routes in registration order, the history's window, last failures and counters. */
    public StatusReport report() {
        List<Map.Entry<String, Registration>> entries = new ArrayList<>(routes.entrySet());
        entries.sort((a, b) -> Long.compare(a.getValue().order(), b.getValue().order()));
        List<RouteStatus> statuses = new ArrayList<>(entries.size());
        for (Map.Entry<String, Registration> e : entries) {
            statuses.add(routeStatus(e.getKey(), e.getValue().health()));
        }
        return new StatusReport(history.clock().instant(), history.clock().getZone(), statuses, history.minutes(),
                history.recentFailures(), history.counters(), history.recentEvents());
    }

    private static RouteStatus routeStatus(String routeId, Supplier<List<UpstreamHealth>> health) {
        List<UpstreamHealth> snapshot;
        try {
            snapshot = health.get();
        } catch (RuntimeException e) {
            LOG.debug("health of route {} is unavailable", routeId, e);
            return new RouteStatus(routeId, List.of(), false);
        }
        if (snapshot == null) {
            return new RouteStatus(routeId, List.of(), false);
        }
        List<UpstreamStatus> upstreams = new ArrayList<>(snapshot.size());
        for (UpstreamHealth h : snapshot) {
            upstreams.add(UpstreamStatus.of(h));
        }
        return new RouteStatus(routeId, upstreams, true);
    }
}
