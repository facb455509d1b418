package dev.upstreamguard.core.lifecycle;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The {@link RouteGuard}s of one proxy, by route id. A route's guard — its limits, pool health and retry
 * budget — is kept for as long as the route exists with the same definition, so a refresh of the route
 * table neither resets a limit nor loses an ejection; a changed definition gets a new guard, and a route
 * that is gone is released by {@link #retainOnly(Collection)}. Thread-safe; bounded by the number of routes.
 */
public final class RouteGuards {
    private record Entry(Object definition, RouteGuard guard) {
    }

    private final Map<String, Entry> byId = new ConcurrentHashMap<>();

    /**
     * The guard of route {@code routeId} as {@code definition} describes it: the kept one when the definition
     * is equal to the one it was built from, else a new one from {@code factory} (replacing the old).
     *
     * @param definition what the route's guard is built from (compared with {@code equals}), e.g. its
     *                   upstreams, timeouts and policy
     */
    public RouteGuard get(String routeId, Object definition, Supplier<RouteGuard> factory) {
        Objects.requireNonNull(routeId, "routeId");
        Objects.requireNonNull(definition, "definition");
        Entry current = byId.get(routeId);
        if (current != null && current.definition().equals(definition)) {
            return current.guard();
        }
        return byId.compute(routeId, (id, old) -> old != null && old.definition().equals(definition) ? old
                : new Entry(definition, Objects.requireNonNull(factory.get(), "factory result"))).guard();
    }

    /** The guard of route {@code routeId}, or {@code null}. */
    public RouteGuard find(String routeId) {
        Entry entry = byId.get(routeId);
        return entry == null ? null : entry.guard();
    }

    /** Releases the guards of routes whose ids are not in {@code routeIds}. */
    public void retainOnly(Collection<String> routeIds) {
        Set<String> keep = Set.copyOf(routeIds);
        byId.keySet().removeIf(id -> !keep.contains(id));
    }
}
