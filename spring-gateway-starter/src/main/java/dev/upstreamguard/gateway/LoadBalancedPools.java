package dev.upstreamguard.gateway;

import dev.upstreamguard.core.Selection;
import dev.upstreamguard.core.Upstream;
import dev.upstreamguard.core.UpstreamHealth;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.lifecycle.UpstreamPool;
import dev.upstreamguard.core.policy.PassiveHealthPolicy;
import org.springframework.cloud.client.ServiceInstance;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Passive health of the instances of load-balanced ({@code lb://}) services: one core {@link UpstreamPool}
 * per service id, over the instances Spring Cloud LoadBalancer last listed for it, fed with each attempt's
 * classified failure or status. The pool's id is the service id; an instance's id is its
 * {@link ServiceInstance#getInstanceId() instance id} when that is a short token, else {@code host-port}.
 *
 * <p>When the listed instances change (one registered, one gone, one moved), the service gets a fresh
 * pool: the core's pool has a fixed membership, so failure runs and ejections start again from zero. The
 * pools use the guard's clock and listeners and the {@code health.*} policy of the route's guard: routes
 * whose {@code UpstreamGuard} filter overrides {@code health.*} (its {@code policy}) judge the service's
 * instances in a pool of their own, with that policy; routes with the same health policy share one.
 * Non-blocking and thread-safe.
 */
public final class LoadBalancedPools {
    private static final Pattern TOKEN_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** One service's pool over one listing of its instances. */
    private record ServicePool(Map<String, URI> listing, UpstreamPool pool, Map<String, ServiceInstance> instances) {
    }

    /** A service as judged by one health policy. */
    private record PoolKey(String serviceId, PassiveHealthPolicy health) {
    }

    private final UpstreamGuard guard;
    private final Map<PoolKey, ServicePool> byService = new ConcurrentHashMap<>();
    private final List<Consumer<UpstreamPool>> poolListeners = new CopyOnWriteArrayList<>();

    /** Pools with {@code guard}'s health policy, clock and listener. */
    public LoadBalancedPools(UpstreamGuard guard) {
        this.guard = guard;
    }

    /**
     * Tells {@code listener} of every pool built from now on (a service first load-balanced, or listed with
     * other instances), and at once of the current ones; e.g. for metrics gauges. Called while the service's
     * entry is updated: it must be quick and must not call back.
     */
    public void onNewPool(Consumer<UpstreamPool> listener) {
        poolListeners.add(listener);
        for (PoolKey key : byService.keySet()) {
            byService.computeIfPresent(key, (id, service) -> {
                listener.accept(service.pool());
                return service;
            });
        }
    }

    /**
     * The instances of {@code listed} that are in rotation (not ejected), in their order; the pool follows
     * the listing. Empty when every listed instance is ejected.
     */
    public List<ServiceInstance> inRotation(String serviceId, List<ServiceInstance> listed) {
        return inRotation(serviceId, null, listed);
    }

    /**
     * As {@link #inRotation(String, List)}, judged by {@code health} (a route's policy; {@code null}: the global
     * guard's).
     */
    public List<ServiceInstance> inRotation(String serviceId, PassiveHealthPolicy health, List<ServiceInstance> listed) {
        if (serviceId == null || listed == null || listed.isEmpty()) {
            return listed;
        }
        ServicePool service = follow(key(serviceId, health), listed);
        if (service == null) {
            return listed;
        }
        List<ServiceInstance> healthy = new ArrayList<>(listed.size());
        List<UpstreamHealth> states = service.pool().health();
        for (ServiceInstance instance : listed) {
            String id = idOf(instance);
            boolean ejected = states.stream().anyMatch(h -> h.ejected() && h.upstream().id().equals(id));
            if (!ejected) {
                healthy.add(instance);
            }
        }
        // below the panic threshold every instance takes traffic again: passive health never takes a service down
        return service.pool().policy().panics(healthy.size(), listed.size()) ? listed : healthy;
    }

    /**
     * The next instance for a retry: one in rotation that the request has not tried yet when there is one
     * ({@link UpstreamPool#select}); {@code null} when none is in rotation or the service is unknown.
     */
    public ServiceInstance next(String serviceId, Collection<String> triedIds) {
        return next(serviceId, null, triedIds);
    }

    /** As {@link #next(String, Collection)}, in the pool of {@code health} ({@code null}: the global guard's). */
    public ServiceInstance next(String serviceId, PassiveHealthPolicy health, Collection<String> triedIds) {
        ServicePool service = serviceId == null ? null : byService.get(key(serviceId, health));
        if (service == null) {
            return null;
        }
        Selection selection = service.pool().select(triedIds);
        return selection.available() ? service.instances().get(selection.upstream().id()) : null;
    }

    /**
     * Whether every known instance of {@code serviceId} is ejected: the selection with the time until the
     * first returns; {@code null} when one is in rotation or the service has no pool yet.
     */
    public Selection noneInRotation(String serviceId) {
        return noneInRotation(serviceId, null);
    }

    /** As {@link #noneInRotation(String)}, in the pool of {@code health} ({@code null}: the global guard's). */
    public Selection noneInRotation(String serviceId, PassiveHealthPolicy health) {
        ServicePool service = serviceId == null ? null : byService.get(key(serviceId, health));
        if (service == null) {
            return null;
        }
        Selection selection = service.pool().select(List.of());
        return selection.available() ? null : selection;
    }

    /**
     * The passive-health pool of {@code serviceId}'s current listing, or {@code null} before it was first
     * load-balanced. Attempts report to it through the core's exchange, so every packaging follows the same
     * rules (one failure signal per request, panic threshold, never the only instance).
     */
    public UpstreamPool pool(String serviceId) {
        return pool(serviceId, null);
    }

    /** As {@link #pool(String)}, judged by {@code health} ({@code null}: the global guard's policy). */
    public UpstreamPool pool(String serviceId, PassiveHealthPolicy health) {
        ServicePool service = serviceId == null ? null : byService.get(key(serviceId, health));
        return service == null ? null : service.pool();
    }

    /**
     * The health of {@code serviceId}'s instances under the global health policy (else under a route's, when
     * only routes with their own policy use the service), or {@code null} before it was first load-balanced.
     */
    public List<UpstreamHealth> health(String serviceId) {
        ServicePool service = serviceId == null ? null : byService.get(key(serviceId, null));
        if (service == null && serviceId != null) {
            service = byService.entrySet().stream().filter(e -> e.getKey().serviceId().equals(serviceId))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        return service == null ? null : service.pool().health();
    }

    /** The health of {@code serviceId}'s instances judged by {@code health}, or {@code null} before it was first load-balanced so. */
    public List<UpstreamHealth> health(String serviceId, PassiveHealthPolicy health) {
        UpstreamPool pool = pool(serviceId, health);
        return pool == null ? null : pool.health();
    }

    /** The low-cardinality id of {@code instance}: its instance id when that is a token, else {@code host-port}. */
    public static String idOf(ServiceInstance instance) {
        String id = instance.getInstanceId();
        if (id != null && TOKEN_ID.matcher(id).matches()) {
            return id;
        }
        String hostPort = (instance.getHost() + "-" + instance.getPort()).replaceAll("[^A-Za-z0-9._-]", "-");
        return hostPort.length() <= 64 ? hostPort : hostPort.substring(hostPort.length() - 64);
    }

    /** {@code instance} as a member of {@code serviceId}'s pool, or {@code null} when it is not in the current listing. */
    public Upstream memberOf(String serviceId, ServiceInstance instance) {
        return memberOf(serviceId, null, instance);
    }

    /** As {@link #memberOf(String, ServiceInstance)}, in the pool of {@code health} ({@code null}: the global guard's). */
    public Upstream memberOf(String serviceId, PassiveHealthPolicy health, ServiceInstance instance) {
        ServicePool service = serviceId == null || instance == null ? null : byService.get(key(serviceId, health));
        if (service == null) {
            return null;
        }
        String id = idOf(instance);
        URI uri = service.listing().get(id);
        return uri == null ? null : new Upstream(id, uri); // an instance of an older listing: nothing to record
    }

    private PoolKey key(String serviceId, PassiveHealthPolicy health) {
        return new PoolKey(serviceId, health == null ? guard.policy().health() : health);
    }

    private ServicePool follow(PoolKey key, List<ServiceInstance> listed) {
        Map<String, URI> listing = new LinkedHashMap<>();
        Map<String, ServiceInstance> instances = new LinkedHashMap<>();
        for (ServiceInstance instance : listed) {
            URI uri = baseUri(instance);
            String id = idOf(instance);
            if (uri != null && !listing.containsKey(id)) {
                listing.put(id, uri);
                instances.put(id, instance);
            }
        }
        if (listing.isEmpty()) {
            return null; // no instance with an http(s) address: nothing to judge
        }
        ServicePool current = byService.get(key);
        if (current != null && current.listing().equals(listing)) {
            return current;
        }
        return byService.compute(key, (id, old) -> old != null && old.listing().equals(listing) ? old
                : newPool(key, listing, instances));
    }

    private ServicePool newPool(PoolKey key, Map<String, URI> listing, Map<String, ServiceInstance> instances) {
        List<Upstream> upstreams = new ArrayList<>(listing.size());
        listing.forEach((id, uri) -> upstreams.add(new Upstream(id, uri)));
        UpstreamPool pool = new UpstreamPool(key.serviceId(), upstreams, key.health(), guard::nanoTime,
                guard.listener());
        poolListeners.forEach(listener -> listener.accept(pool));
        return new ServicePool(Map.copyOf(listing), pool, Map.copyOf(instances));
    }

    private static URI baseUri(ServiceInstance instance) {
        try {
            return new URI(instance.isSecure() ? "https" : "http", null, instance.getHost(), instance.getPort(),
                    null, null, null);
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
