package dev.upstreamguard.gateway;

import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.events.GuardListener;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.status.FailureHistory;
import dev.upstreamguard.core.status.StatusRegistry;
import dev.upstreamguard.micrometer.UpstreamGuardMetrics;
import dev.upstreamguard.spring.UpstreamGuardCustomizer;
import dev.upstreamguard.spring.UpstreamGuardFactory;
import dev.upstreamguard.spring.UpstreamGuardPolicies;
import dev.upstreamguard.spring.UpstreamGuardProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import reactor.netty.http.client.HttpClient;

import java.util.stream.Collectors;

/**
 * Makes Spring Cloud Gateway (server-webflux) answer upstream failures with the right 5xx,
 * {@code Proxy-Status}, problem details and {@code Retry-After}, validate upstream heads before relaying
 * them, and bound the wait for a response head. Active when the gateway's webflux server is on the
 * classpath and enabled, unless {@code upstream-guard.enabled=false} (then {@link UpstreamGuardPassThroughAutoConfiguration}
 * keeps the route filter as a pass-through); every bean can be replaced by declaring one of the same type,
 * and {@link UpstreamGuardCustomizer} beans adjust the guard. The configuration is typed: the shared
 * {@link UpstreamGuardProperties} and the gateway's own {@link UpstreamGuardGatewayProperties}, converted
 * into the core policy once.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"},
        beforeName = "org.springframework.boot.webflux.autoconfigure.WebFluxObservationAutoConfiguration")
@ConditionalOnClass({GlobalFilter.class, NettyRoutingFilter.class, HttpClient.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnProperty(name = "spring.cloud.gateway.server.webflux.enabled", matchIfMissing = true)
@ConditionalOnProperty(prefix = UpstreamGuardProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({UpstreamGuardProperties.class, UpstreamGuardGatewayProperties.class})
public class UpstreamGuardAutoConfiguration {

    /**
     * The global policy, from the {@code upstream-guard.*} properties, converted once; a bad value or an
     * unknown key stops the start naming the property, the value and what is accepted.
     */
    @Bean
    @ConditionalOnMissingBean
    public GuardPolicy upstreamGuardPolicy(UpstreamGuardProperties properties, Environment environment) {
        UpstreamGuardPolicies.checkKeys(environment, UpstreamGuardGatewayProperties.KEYS);
        return UpstreamGuardPolicies.toPolicy(properties);
    }

    /**
     * What the status page shows, as a guard listener: failures by type per minute over the last
     * {@value FailureHistory#DEFAULT_WINDOW_MINUTES} minutes, the last {@code upstream-guard.recent-failures}
     * failures, counters.
     */
    @Bean
    @ConditionalOnMissingBean
    public FailureHistory upstreamGuardFailureHistory(UpstreamGuardProperties properties) {
        return UpstreamGuardPolicies.failureHistory(properties);
    }

    /** The routes and upstream health the status page shows, over the failure history. */
    @Bean
    @ConditionalOnMissingBean
    public StatusRegistry upstreamGuardStatusRegistry(FailureHistory history) {
        return new StatusRegistry(history);
    }

    /** Builds guards with every {@link GuardListener} bean and every {@link UpstreamGuardCustomizer} bean. */
    @Bean
    @ConditionalOnMissingBean
    public UpstreamGuardFactory upstreamGuardFactory(ObjectProvider<GuardListener> listeners,
                                                     ObjectProvider<UpstreamGuardCustomizer> customizers) {
        return new UpstreamGuardFactory(listeners.orderedStream().collect(Collectors.toList()),
                customizers.orderedStream().collect(Collectors.toList()));
    }

    /** The global guard; routes derive theirs from it. */
    @Bean
    @ConditionalOnMissingBean
    public UpstreamGuard upstreamGuard(GuardPolicy policy, UpstreamGuardFactory factory) {
        return factory.build(policy);
    }

    /** Passive health of the instances of load-balanced ({@code lb://}) services, on the global guard's policy. */
    @Bean
    @ConditionalOnMissingBean
    public LoadBalancedPools upstreamGuardLoadBalancedPools(UpstreamGuard guard) {
        return new LoadBalancedPools(guard);
    }

    /** Answers upstream failures around the whole filter chain. */
    @Bean
    @ConditionalOnMissingBean
    public UpstreamGuardGlobalFilter upstreamGuardGlobalFilter(UpstreamGuard guard, LoadBalancedPools pools,
                                                               UpstreamGuardGatewayProperties properties) {
        return new UpstreamGuardGlobalFilter(guard, pools, properties.getTimeouts().totalOrNull());
    }

    /** Our {@code Via} on upstream requests, and loop detection by it; a bad pseudonym fails start-up naming the property. */
    @Bean
    @ConditionalOnMissingBean
    public UpstreamGuardViaFilter upstreamGuardViaFilter(UpstreamGuardGatewayProperties properties) {
        return new UpstreamGuardViaFilter(properties.getViaPseudonym());
    }

    /** Bounds and validates the upstream head before the gateway relays it. */
    @Bean
    @ConditionalOnMissingBean
    public UpstreamHeadFilter upstreamGuardHeadFilter(UpstreamGuardGatewayProperties properties,
                                                      ObjectProvider<HttpClientProperties> gatewayClient,
                                                      LoadBalancedPools pools) {
        return new UpstreamHeadFilter(properties.getResponseTimeout(), gatewayClient.getIfAvailable(), pools);
    }

    /** Releases the guards of routes a refresh removed; routes that stay keep their state. */
    @Bean
    @ConditionalOnMissingBean
    public RouteRefreshListener upstreamGuardRouteRefreshListener(UpstreamHeadFilter head) {
        return new RouteRefreshListener(head.routeGuards());
    }

    /**
     * Tracks the phase of each upstream attempt, bounds the body's idle time ({@code timeouts.idle}) and raises
     * Netty's head limit (unless the gateway sets one).
     */
    @Bean
    @ConditionalOnMissingBean
    public PhaseTrackingHttpClientCustomizer upstreamGuardHttpClientCustomizer(UpstreamGuardGatewayProperties properties,
                                                                                ObjectProvider<HttpClientProperties> gatewayClient) {
        HttpClientProperties client = gatewayClient.getIfAvailable();
        boolean gatewaySetsLimit = client != null && client.getMaxHeaderSize() != null;
        int limit = properties.decoderMaxHeaderBytes();
        return new PhaseTrackingHttpClientCustomizer(gatewaySetsLimit ? 0 : limit, properties.getTimeouts().idleOrNull());
    }

    /** The per-route {@code UpstreamGuard} filter. */
    @Bean
    @ConditionalOnMissingBean
    public UpstreamGuardGatewayFilterFactory upstreamGuardGatewayFilterFactory(UpstreamGuard guard,
                                                                              UpstreamGuardFactory factory) {
        return new UpstreamGuardGatewayFilterFactory(guard, factory);
    }

    /**
     * With Spring Cloud LoadBalancer: every load-balancer client context lists only the instances in
     * rotation ({@link LoadBalancedHealthConfiguration}).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier")
    @LoadBalancerClients(defaultConfiguration = LoadBalancedHealthConfiguration.class)
    static class LoadBalancedHealth {
    }

    /**
     * The gateway's client observations carry our RFC 9209 error type ({@code upstream.guard.error}); the
     * starter stops the observation of every failed attempt it answers or retries. The server observation
     * ({@code http.server.requests}) carries the answered failure as {@code error.type} and its error, and the
     * request's retries, ejections and admission refusals as events.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
    static class Observations {

        @Bean
        @ConditionalOnMissingBean(org.springframework.cloud.gateway.filter.headers.observation.GatewayObservationConvention.class)
        UpstreamGuardObservationConvention upstreamGuardObservationConvention() {
            return new UpstreamGuardObservationConvention();
        }

        @Bean
        @ConditionalOnClass(name = "org.springframework.http.server.reactive.observation.ServerRequestObservationContext")
        @ConditionalOnMissingBean(org.springframework.http.server.reactive.observation.ServerRequestObservationConvention.class)
        UpstreamGuardServerObservationConvention upstreamGuardServerObservationConvention() {
            return new UpstreamGuardServerObservationConvention();
        }

        @Bean
        GatewayObservations.Events upstreamGuardServerObservationEvents() {
            return new GatewayObservations.Events();
        }
    }

    /** With Micrometer Tracing, the request id is the trace id of the request's server observation. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.micrometer.tracing.Tracer", "io.micrometer.observation.Observation"})
    static class Tracing {

        /** Looks the tracer up when a guard is built, whichever auto-configuration defined it. */
        @Bean
        dev.upstreamguard.spring.UpstreamGuardCustomizer upstreamGuardTraceIdRequestIds(
                org.springframework.beans.factory.ObjectProvider<io.micrometer.tracing.Tracer> tracers) {
            return builder -> {
                io.micrometer.tracing.Tracer tracer = tracers.getIfUnique();
                if (tracer != null) {
                    builder.requestIdSource(new TraceIdRequestIds(tracer));
                }
            };
        }
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
