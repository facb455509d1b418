package dev.upstreamguard.spring.boot;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.micrometer.UpstreamGuardMetrics;
import dev.upstreamguard.servlet.UpstreamGuardFilter;
import dev.upstreamguard.spring.UpstreamGuardCustomizer;
import dev.upstreamguard.spring.UpstreamGuardPackaging;
import dev.upstreamguard.spring.UpstreamGuardProperties;
import dev.upstreamguard.spring.UpstreamGuardSharedConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
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
import org.springframework.context.annotation.Import;

import java.util.List;

/**
 * Puts Upstream Guard's servlet filter in front of a Spring MVC (servlet) application: an upstream failure
 * that escapes a controller (the application called another service and got {@code ConnectException},
 * {@code HttpTimeoutException}, …) becomes the right 5xx with {@code Proxy-Status} and problem details, with the
 * admission limits, origin-side guard, meters and status page of the {@code upstream-guard.*} properties.
 * Active in a servlet web application unless {@code upstream-guard.enabled=false}; every bean can be replaced
 * by declaring one of the same type, and {@link UpstreamGuardCustomizer} beans adjust the guard. The beans every
 * Spring packaging shares (policy, failure history, status registry, guard factory, guard, meters) come from
 * {@link UpstreamGuardSharedConfiguration}.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({Filter.class, FilterRegistrationBean.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = UpstreamGuardProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(UpstreamGuardFilterProperties.class)
@Import(UpstreamGuardSharedConfiguration.class)
public class UpstreamGuardServletAutoConfiguration {

    /** The starter's keys under {@code upstream-guard.} beside the shared ones. */
    static final List<String> PACKAGING_KEYS = List.of("filter.url-patterns", "filter.order", "filter.route-id");

    /** The starter's own keys (known to the shared policy's check) and its route, on the status page from the start. */
    @Bean
    @ConditionalOnMissingBean(name = "upstreamGuardServletPackaging")
    public UpstreamGuardPackaging upstreamGuardServletPackaging(UpstreamGuardFilterProperties filter) {
        return new UpstreamGuardPackaging(PACKAGING_KEYS, List.of(routeId(filter)));
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

    /** The gauges of the guarded routes, bound to the shared configuration's meters when there is a {@link MeterRegistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class RouteGauges {

        /**
         * The meters of the filter's route (requests admitted and in flight, concurrency permits) and of the limit backend,
         * bound once all singletons exist.
         */
        @Bean
        SmartInitializingSingleton upstreamGuardRouteGauges(ObjectProvider<UpstreamGuardMetrics> metrics,
                                                            ObjectProvider<FilterRegistrationBean<UpstreamGuardFilter>> registrations,
                                                            ObjectProvider<UpstreamGuardFilter> filters) {
            return () -> metrics.ifAvailable(m -> {
                registrations.orderedStream().map(FilterRegistrationBean::getFilter).forEach(f -> bind(m, f));
                filters.orderedStream().forEach(f -> bind(m, f));
            });
        }

        private static void bind(UpstreamGuardMetrics metrics, UpstreamGuardFilter filter) {
            if (filter.guard() == null) {
                return; // configured from init-params later, by the container
            }
            metrics.bindRoute(filter.route());
            metrics.bindLimitBackend(filter.guard().bucketBackend());
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
