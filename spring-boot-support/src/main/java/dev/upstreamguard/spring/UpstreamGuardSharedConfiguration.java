package dev.upstreamguard.spring;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.status.FailureHistory;
import dev.upstreamguard.status.StatusRegistry;
import dev.upstreamguard.micrometer.UpstreamGuardMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The beans every Spring packaging of Upstream Guard defines the same way, defined once: the typed
 * {@code upstream-guard.*} properties, the policy converted from them, the failure history and status page
 * model, the guard factory and the guard, and Micrometer meters. Imported by each packaging's
 * auto-configuration (not an auto-configuration itself: it applies only where one of them does), which adds
 * an {@link UpstreamGuardPackaging} bean with its own keys. Every bean backs off when the application
 * declares one of the same type.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UpstreamGuardProperties.class)
public class UpstreamGuardSharedConfiguration {

    /**
     * The policy, from the {@code upstream-guard.*} properties, converted once; a bad value or an unknown key
     * (the shared ones and those of every {@link UpstreamGuardPackaging} are known) stops the start naming the
     * property, the value and what is accepted.
     */
    @Bean
    @ConditionalOnMissingBean
    public GuardPolicy upstreamGuardPolicy(UpstreamGuardProperties properties, Environment environment,
                                           ObjectProvider<UpstreamGuardPackaging> packagings) {
        List<String> keys = new ArrayList<>();
        packagings.orderedStream().forEach(p -> keys.addAll(p.keys()));
        UpstreamGuardPolicies.checkKeys(environment, keys);
        return UpstreamGuardPolicies.toPolicy(properties);
    }

    /**
     * What the status page shows, as a guard listener: failures by type per minute, the last
     * {@code upstream-guard.recent-failures} failures, counters.
     */
    @Bean
    @ConditionalOnMissingBean
    public FailureHistory upstreamGuardFailureHistory(UpstreamGuardProperties properties) {
        return UpstreamGuardPolicies.failureHistory(properties);
    }

    /** The status page's model over the failure history, with the packagings' routes listed from the start. */
    @Bean
    @ConditionalOnMissingBean
    public StatusRegistry upstreamGuardStatusRegistry(FailureHistory history, ObjectProvider<UpstreamGuardPackaging> packagings) {
        StatusRegistry status = new StatusRegistry(history);
        packagings.orderedStream().forEach(p -> p.statusRoutes().forEach(route -> status.register(route, () -> null)));
        return status;
    }

    /** Builds guards with every {@link GuardListener} bean and every {@link UpstreamGuardCustomizer} bean. */
    @Bean
    @ConditionalOnMissingBean
    public UpstreamGuardFactory upstreamGuardFactory(ObjectProvider<GuardListener> listeners,
                                                     ObjectProvider<UpstreamGuardCustomizer> customizers) {
        return new UpstreamGuardFactory(listeners.orderedStream().collect(Collectors.toList()),
                customizers.orderedStream().collect(Collectors.toList()));
    }

    /** The global guard (a proxy's routes derive theirs from it). */
    @Bean
    @ConditionalOnMissingBean
    public UpstreamGuard upstreamGuard(GuardPolicy policy, UpstreamGuardFactory factory) {
        return factory.build(policy);
    }

    /** Micrometer meters through the application's {@link MeterRegistry}, when there is one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean
        UpstreamGuardMetrics upstreamGuardMetrics(MeterRegistry registry) {
            return new UpstreamGuardMetrics(registry);
        }
    }
}
