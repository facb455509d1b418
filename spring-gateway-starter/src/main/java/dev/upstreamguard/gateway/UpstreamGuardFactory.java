package dev.upstreamguard.gateway;

import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.events.GuardListener;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.redis.LimitBackends;

import java.util.List;

/**
 * Builds guards that share the application's listeners (recent failures, metrics) and customizers:
 * the global guard from the {@code upstream-guard.*} policy, and a route's own guard from a policy
 * derived from it (see {@link UpstreamGuardGatewayFilterFactory}).
 */
public final class UpstreamGuardFactory {

    private final List<GuardListener> listeners;
    private final List<UpstreamGuardCustomizer> customizers;

    /** A factory adding {@code listeners}, then applying {@code customizers} in order. */
    public UpstreamGuardFactory(List<GuardListener> listeners, List<UpstreamGuardCustomizer> customizers) {
        this.listeners = List.copyOf(listeners);
        this.customizers = List.copyOf(customizers);
    }

    /**
     * The global guard: {@code policy} with the bucket backend it names ({@code limits.backend}: memory, or
     * Redis when Lettuce is on the classpath), then the customizers (which may replace either).
     */
    public UpstreamGuard global(GuardPolicy policy) {
        UpstreamGuard.Builder builder = UpstreamGuard.builder().policy(policy)
                .bucketBackend(LimitBackends.forPolicy(policy.limitsBackend(), UpstreamGuardProperties.PREFIX + ".",
                        "io.lettuce:lettuce-core and com.bucket4j:bucket4j_jdk17-lettuce as dependencies"));
        listeners.forEach(builder::addListener);
        customizers.forEach(c -> c.customize(builder));
        return builder.build();
    }

    /**
     * A route's guard: the customizers, then {@code routePolicy}, which always wins, on the global guard's
     * bucket backend (one set of shared limits, one Redis connection).
     */
    public UpstreamGuard forRoute(UpstreamGuard global, GuardPolicy routePolicy) {
        UpstreamGuard.Builder builder = UpstreamGuard.builder();
        listeners.forEach(builder::addListener);
        customizers.forEach(c -> c.customize(builder));
        return builder.policy(routePolicy).bucketBackend(global.bucketBackend()).build();
    }
}
