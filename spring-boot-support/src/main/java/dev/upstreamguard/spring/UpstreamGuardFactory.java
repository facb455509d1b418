package dev.upstreamguard.spring;

import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.redis.LimitBackends;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Builds guards from a policy with the application's listeners (status page history, meters) and
 * {@link UpstreamGuardCustomizer}s, and closes their limit backends (e.g. the Redis connection) when the
 * application context closes. A bean: declare your own (or a subclass) to build guards differently.
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
     * A guard with {@code policy} and the bucket backend it names ({@code limits.backend}: memory, or Redis when
     * Lettuce is on the classpath), the listeners, then the customizers (which may replace either).
     */
    public UpstreamGuard build(GuardPolicy policy) {
        UpstreamGuard.Builder builder = UpstreamGuard.builder().policy(policy)
                .bucketBackend(LimitBackends.forPolicy(policy.limitsBackend(), UpstreamGuardPolicies.KEY_PREFIX,
                        "io.lettuce:lettuce-core and com.bucket4j:bucket4j_jdk17-lettuce as dependencies"));
        listeners.forEach(builder::addListener);
        customizers.forEach(c -> c.customize(builder));
        UpstreamGuard guard = builder.build();
        backends.add(guard.bucketBackend());
        return guard;
    }

    /**
     * A guard derived from {@code base} (one this factory built): everything it was built with — listeners,
     * the customizers' classifiers and validation rules, its bucket backend itself (one set of shared limits,
     * one Redis connection) — with {@code policy}. A proxy's per-route guards; override to build them differently.
     */
    public UpstreamGuard derive(UpstreamGuard base, GuardPolicy policy) {
        return base.toBuilder().policy(policy).build();
    }

    /** Closes the bucket backends of the guards this factory built. */
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
