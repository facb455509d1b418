package dev.upstreamguard.gateway;

import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.events.GuardListener;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.limits.BucketBackend;
import dev.upstreamguard.redis.LimitBackends;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Builds the guards: the global one from the {@code upstream-guard.*} policy with the application's
 * listeners (status page history, metrics) and customizers, and a route's own guard from it with a policy
 * bound on top of the global one (see {@link UpstreamGuardGatewayFilterFactory}). A bean: declare your
 * own (or a subclass) to build guards differently; it closes the limit backends when the context closes.
 */
public class UpstreamGuardFactory implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamGuardFactory.class);

    private final List<GuardListener> listeners;
    private final List<UpstreamGuardCustomizer> customizers;
    private final List<BucketBackend> backends = new CopyOnWriteArrayList<>();

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
        UpstreamGuard guard = buildGlobal(policy);
        backends.add(guard.bucketBackend());
        return guard;
    }

    private UpstreamGuard buildGlobal(GuardPolicy policy) {
        UpstreamGuard.Builder builder = UpstreamGuard.builder().policy(policy)
                .bucketBackend(LimitBackends.forPolicy(policy.limitsBackend(), UpstreamGuardProperties.PREFIX + ".",
                        "io.lettuce:lettuce-core and com.bucket4j:bucket4j_jdk17-lettuce as dependencies"));
        listeners.forEach(builder::addListener);
        customizers.forEach(c -> c.customize(builder));
        return builder.build();
    }

    /**
     * A route's guard: everything {@code global} was built with (listeners, the customizers' classifiers and
     * validation rules, its bucket backend itself: one set of shared limits, one Redis connection), with
     * {@code routePolicy}. Override to build route guards differently.
     */
    public UpstreamGuard forRoute(UpstreamGuard global, GuardPolicy routePolicy) {
        return global.toBuilder().policy(routePolicy).build();
    }

    /**
     * Closes the bucket backends of the global guards this factory built (e.g. the Redis connection) when
     * the application context closes; route guards share them.
     */
    @Override
    public void destroy() {
        for (BucketBackend backend : backends) {
            try {
                backend.close();
            } catch (Exception e) {
                LOG.warn("closing the {} limit backend failed", backend.name(), e);
            }
        }
        backends.clear();
    }
}
