package dev.upstreamguard.gateway;

import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.health.Selection;
import dev.upstreamguard.core.health.Upstream;
import dev.upstreamguard.core.health.UpstreamHealth;
import dev.upstreamguard.core.health.UpstreamPool;
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
 * pools use the global guard's {@code health.*} policy, clock and listeners. Non-blocking and thread-safe.
 */
public final class LoadBalancedPools {
    private static final Pattern TOKEN_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** One service's pool over one listing of its instances. */
    private record ServicePool(Map<String, URI> listing, UpstreamPool pool, Map<String, ServiceInstance> instances) {
    }

    private final UpstreamGuard guard;
    private final Map<String, ServicePool> byService = new ConcurrentHashMap<>();
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
        for (String serviceId : byService.keySet()) {
            byService.computeIfPresent(serviceId, (id, service) -> {
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
        if (serviceId == null || listed == null || listed.isEmpty()) {
            return listed;
        }
        ServicePool service = follow(serviceId, listed);
        if (service == null) {
            return listed;
        }
        List<ServiceInstance> healthy = new ArrayList<>(listed.size());
        List<UpstreamHealth> health = service.pool().health();
        for (ServiceInstance instance : listed) {
            String id = idOf(instance);
            boolean ejected = health.stream().anyMatch(h -> h.ejected() && h.upstream().id().equals(id));
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
        ServicePool service = byService.get(serviceId);
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
        ServicePool service = serviceId == null ? null : byService.get(serviceId);
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
        ServicePool service = serviceId == null ? null : byService.get(serviceId);
        return service == null ? null : service.pool();
    }

    /** The health of {@code serviceId}'s instances, or {@code null} before it was first load-balanced. */
    public List<UpstreamHealth> health(String serviceId) {
        ServicePool service = byService.get(serviceId);
        return service == null ? null : service.pool().health();
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
        ServicePool service = serviceId == null || instance == null ? null : byService.get(serviceId);
        if (service == null) {
            return null;
        }
        String id = idOf(instance);
        URI uri = service.listing().get(id);
        return uri == null ? null : new Upstream(id, uri); // an instance of an older listing: nothing to record
    }

    private ServicePool follow(String serviceId, List<ServiceInstance> listed) {
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
        ServicePool current = byService.get(serviceId);
        if (current != null && current.listing().equals(listing)) {
            return current;
        }
        return byService.compute(serviceId, (id, old) -> old != null && old.listing().equals(listing) ? old
                : newPool(serviceId, listing, instances));
    }

    private ServicePool newPool(String serviceId, Map<String, URI> listing, Map<String, ServiceInstance> instances) {
        List<Upstream> upstreams = new ArrayList<>(listing.size());
        listing.forEach((id, uri) -> upstreams.add(new Upstream(id, uri)));
        UpstreamPool pool = new UpstreamPool(serviceId, upstreams, guard.policy().health(), guard::nanoTime,
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
