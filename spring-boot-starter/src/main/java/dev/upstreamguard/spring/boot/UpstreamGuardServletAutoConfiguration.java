package dev.upstreamguard.spring.boot;

import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.events.GuardListener;
import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.status.FailureHistory;
import dev.upstreamguard.core.status.StatusRegistry;
import dev.upstreamguard.micrometer.UpstreamGuardMetrics;
import dev.upstreamguard.servlet.UpstreamGuardFilter;
import dev.upstreamguard.spring.UpstreamGuardCustomizer;
import dev.upstreamguard.spring.UpstreamGuardFactory;
import dev.upstreamguard.spring.UpstreamGuardPolicies;
import dev.upstreamguard.spring.UpstreamGuardProperties;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Puts Upstream Guard's servlet filter in front of a Spring MVC (servlet) application: an upstream failure
 * that escapes a controller (the application called another service and got {@code ConnectException},
 * {@code HttpTimeoutException}, …) becomes the right 5xx with {@code Proxy-Status} and problem details, with the
 * admission limits, origin-side guard, meters and status page of the {@code upstream-guard.*} properties.
 * Active in a servlet web application unless {@code upstream-guard.enabled=false}; every bean can be replaced
 * by declaring one of the same type, and {@link UpstreamGuardCustomizer} beans adjust the guard.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({Filter.class, FilterRegistrationBean.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = UpstreamGuardProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({UpstreamGuardProperties.class, UpstreamGuardFilterProperties.class})
public class UpstreamGuardServletAutoConfiguration {

    /** The starter's keys under {@code upstream-guard.} beside the shared ones. */
    static final List<String> PACKAGING_KEYS = List.of("filter.url-patterns", "filter.order", "filter.route-id");

    /**
     * The policy, from the {@code upstream-guard.*} properties, converted once; a bad value or an unknown key
     * stops the start naming the property, the value and what is accepted.
     */
    @Bean
    @ConditionalOnMissingBean
    public GuardPolicy upstreamGuardPolicy(UpstreamGuardProperties properties, Environment environment) {
        UpstreamGuardPolicies.checkKeys(environment, PACKAGING_KEYS);
        return UpstreamGuardPolicies.toPolicy(properties);
    }

    /** What the status page shows, as a guard listener: failures by type per minute, the last failures, counters. */
    @Bean
    @ConditionalOnMissingBean
    public FailureHistory upstreamGuardFailureHistory(UpstreamGuardProperties properties) {
        return UpstreamGuardPolicies.failureHistory(properties);
    }

    /** The status page's model: the filter's route over the failure history. */
    @Bean
    @ConditionalOnMissingBean
    public StatusRegistry upstreamGuardStatusRegistry(FailureHistory history, UpstreamGuardFilterProperties filter) {
        return new StatusRegistry(history).register(routeId(filter), () -> null);
    }

    /** Builds the guard with every {@link GuardListener} bean and every {@link UpstreamGuardCustomizer} bean. */
    @Bean
    @ConditionalOnMissingBean
    public UpstreamGuardFactory upstreamGuardFactory(ObjectProvider<GuardListener> listeners,
                                                     ObjectProvider<UpstreamGuardCustomizer> customizers) {
        return new UpstreamGuardFactory(listeners.orderedStream().collect(Collectors.toList()),
                customizers.orderedStream().collect(Collectors.toList()));
    }

    /** The guard the filter uses. */
    @Bean
    @ConditionalOnMissingBean
    public UpstreamGuard upstreamGuard(GuardPolicy policy, UpstreamGuardFactory factory) {
        return factory.build(policy);
    }

    /**
     * The filter, for {@code REQUEST}, {@code ASYNC} and {@code ERROR} dispatches (it admits a request once),
     * at {@code upstream-guard.filter.order} (by default outside Spring Security and Spring MVC).
     */
    @Bean
    @ConditionalOnMissingFilterBean(UpstreamGuardFilter.class)
    public FilterRegistrationBean<UpstreamGuardFilter> upstreamGuardFilter(UpstreamGuard guard,
                                                                           UpstreamGuardFilterProperties filter) {
        FilterRegistrationBean<UpstreamGuardFilter> registration =
                new FilterRegistrationBean<>(new UpstreamGuardFilter(guard, routeId(filter)));
        registration.setName("upstreamGuardFilter");
        registration.setUrlPatterns(filter.getUrlPatterns());
        registration.setOrder(filter.getOrder());
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
        registration.setAsyncSupported(true);
        return registration;
    }

    private static String routeId(UpstreamGuardFilterProperties filter) {
        String id = filter.getRouteId();
        if (id == null || id.isBlank()) {
            throw new ConfigurationException(UpstreamGuardFilterProperties.PREFIX + ".route-id", id, "a non-empty id");
        }
        return id;
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

    /**
     * The guard's verdicts on the request's server observation ({@code http.server.requests}): its RFC 9209 error
     * type as the low-cardinality key {@code error.type} and the observation's error; retries, ejections and
     * admission refusals as events.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.micrometer.observation.ObservationRegistry",
            "org.springframework.http.server.observation.ServerRequestObservationContext"})
    @ConditionalOnBean(type = "io.micrometer.observation.ObservationRegistry")
    static class Observations {

        @Bean
        @ConditionalOnMissingBean
        ServerObservations upstreamGuardServerObservations(io.micrometer.observation.ObservationRegistry registry) {
            return new ServerObservations(registry);
        }

        @Bean
        @ConditionalOnMissingBean(org.springframework.http.server.observation.ServerRequestObservationConvention.class)
        ServerObservations.ErrorTypeConvention upstreamGuardServerRequestObservationConvention() {
            return new ServerObservations.ErrorTypeConvention();
        }
    }

    /** With Micrometer Tracing, the request id is the current trace id. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.tracing.Tracer")
    static class Tracing {

        /** Looks the tracer up when the guard is built, whichever auto-configuration defined it. */
        @Bean
        UpstreamGuardCustomizer upstreamGuardTraceIdRequestIds(ObjectProvider<io.micrometer.tracing.Tracer> tracers) {
            return builder -> {
                io.micrometer.tracing.Tracer tracer = tracers.getIfUnique();
                if (tracer != null) {
                    builder.requestIdSource(new TraceIdRequestIds(tracer));
                }
            };
        }
    }
}
