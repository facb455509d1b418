package dev.upstreamguard.core.lifecycle;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The {@link RouteGuard}s of one proxy, by route id. A route's guard — its limits, pool health and retry
 * budget — is kept for as long as the route exists with the same definition, so a refresh of the route
 * table neither resets a limit nor loses an ejection; a changed definition gets a new guard, and a route
 * that is gone is released by {@link #retainOnly(Collection)}. Thread-safe; bounded by the number of routes.
 *
 * <p>A {@link Listener} (e.g. metrics gauges) is told of every guard built and released, in order per
 * route id, so that nothing it keeps outlives the route.
 */
public final class RouteGuards {
    /**
     * Told when a route's guard is built and when it is released (replaced by a changed definition, or
     * removed with its route). Called while the route's entry is updated, so the calls for one route id
     * never overlap or reorder: implementations must be quick and must not call back into the registry.
     */
    public interface Listener {
        /** {@code guard} was built and serves its route from now on. */
        void added(RouteGuard guard);

        /** {@code guard} no longer serves its route. */
        void removed(RouteGuard guard);
    }

    private record Entry(Object definition, RouteGuard guard) {
    }

    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Adds {@code listener}, telling it at once of the guards already built. */
    public void addListener(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        for (String id : byId.keySet()) {
            byId.computeIfPresent(id, (key, entry) -> {
                listener.added(entry.guard());
                return entry;
            });
        }
    }

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
        return byId.compute(routeId, (id, old) -> {
            if (old != null && old.definition().equals(definition)) {
                return old;
            }
            Entry built = new Entry(definition, Objects.requireNonNull(factory.get(), "factory result"));
            for (Listener listener : listeners) {
                if (old != null) {
                    listener.removed(old.guard());
                }
                listener.added(built.guard());
            }
            return built;
        }).guard();
    }

    /** The guard of route {@code routeId}, or {@code null}. */
    public RouteGuard find(String routeId) {
        Entry entry = byId.get(routeId);
        return entry == null ? null : entry.guard();
    }

    /** Releases the guards of routes whose ids are not in {@code routeIds}. */
    public void retainOnly(Collection<String> routeIds) {
        Set<String> keep = Set.copyOf(routeIds);
        for (String id : byId.keySet()) {
            if (!keep.contains(id)) {
                byId.computeIfPresent(id, (key, gone) -> {
                    listeners.forEach(listener -> listener.removed(gone.guard()));
                    return null;
                });
            }
        }
    }
}
