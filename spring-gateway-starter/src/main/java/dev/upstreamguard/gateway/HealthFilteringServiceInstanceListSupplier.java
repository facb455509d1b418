package dev.upstreamguard.gateway;

import dev.upstreamguard.core.policy.PassiveHealthPolicy;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;

import java.util.List;

/**
 * Takes the instances that passive health ejected out of a Spring Cloud LoadBalancer listing, so the
 * load balancer (whichever algorithm) chooses among those in rotation. When every instance is ejected
 * the listing is empty: the gateway's load-balancer filter then finds no instance, and the starter
 * answers 503 {@code destination_unavailable} with {@code Retry-After} (see {@link LoadBalancedPools}).
 */
public class HealthFilteringServiceInstanceListSupplier extends DelegatingServiceInstanceListSupplier {

    private final LoadBalancedPools pools;

    /** The listing of {@code delegate} without the instances {@code pools} ejected. */
    public HealthFilteringServiceInstanceListSupplier(ServiceInstanceListSupplier delegate, LoadBalancedPools pools) {
        super(delegate);
        this.pools = pools;
    }

    @Override
    public Flux<List<ServiceInstance>> get() {
        return delegate.get().map(this::inRotation);
    }

    /**
     * The listing judged by the health policy of the request's route: the gateway's load-balancer filter passes
     * the exchange's attributes, where the starter keeps the route's guard.
     */
    @Override
    public Flux<List<ServiceInstance>> get(Request request) {
        PassiveHealthPolicy health = routeHealth(request);
        return delegate.get(request).map(listed -> pools.inRotation(getServiceId(), health, listed));
    }

    private List<ServiceInstance> inRotation(List<ServiceInstance> listed) {
        return pools.inRotation(getServiceId(), listed);
    }

    /** The {@code health.*} policy of the route's guard, or {@code null} (the global one) when the request does not say. */
    static PassiveHealthPolicy routeHealth(Request<?> request) {
        Object context = request == null ? null : request.getContext();
        if (context instanceof RequestDataContext data && data.getClientRequest() != null
                && data.getClientRequest().getAttributes() != null
                && data.getClientRequest().getAttributes().get(GuardedAttempt.KEY) instanceof GuardedAttempt attempt) {
            return attempt.guard().policy().health();
        }
        return null;
    }
}
