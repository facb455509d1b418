package dev.upstreamguard.gateway;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.micrometer.UpstreamGuardMetrics;
import dev.upstreamguard.spring.UpstreamGuardCustomizer;
import dev.upstreamguard.spring.UpstreamGuardFactory;
import dev.upstreamguard.spring.UpstreamGuardPackaging;
import dev.upstreamguard.spring.UpstreamGuardProperties;
import dev.upstreamguard.spring.UpstreamGuardSharedConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import reactor.netty.http.client.HttpClient;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Makes Spring Cloud Gateway (server-webflux) answer upstream failures with the right 5xx,
 * {@code Proxy-Status}, problem details and {@code Retry-After}, validate upstream heads before relaying
 * them, and bound the wait for a response head. Active when the gateway's webflux server is on the
 * classpath and enabled, unless {@code upstream-guard.enabled=false} (then {@link UpstreamGuardPassThroughAutoConfiguration}
 * keeps the route filter as a pass-through); every bean can be replaced by declaring one of the same type,
 * and {@link UpstreamGuardCustomizer} beans adjust the guard. The configuration is typed: the shared
 * {@link UpstreamGuardProperties} and the gateway's own {@link UpstreamGuardGatewayProperties}, converted
 * into the core policy once. The beans every Spring packaging shares (policy, failure history, status
 * registry, guard factory, guard, meters) come from {@link UpstreamGuardSharedConfiguration}.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"},
        beforeName = "org.springframework.boot.webflux.autoconfigure.WebFluxObservationAutoConfiguration")
@ConditionalOnClass({GlobalFilter.class, NettyRoutingFilter.class, HttpClient.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnProperty(name = "spring.cloud.gateway.server.webflux.enabled", matchIfMissing = true)
@ConditionalOnProperty(prefix = UpstreamGuardProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(UpstreamGuardGatewayProperties.class)
@Import(UpstreamGuardSharedConfiguration.class)
public class UpstreamGuardAutoConfiguration {

    /** The gateway's own keys under {@code upstream-guard.}, known to the shared policy's check for unknown keys. */
    @Bean
    @ConditionalOnMissingBean(name = "upstreamGuardGatewayPackaging")
    public UpstreamGuardPackaging upstreamGuardGatewayPackaging() {
        return new UpstreamGuardPackaging(UpstreamGuardGatewayProperties.KEYS, List.of());
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
                                                               UpstreamGuardGatewayProperties properties,
                                                               ObjectProvider<RetryAfterHint> hints) {
        return new UpstreamGuardGlobalFilter(guard, pools, properties.getTimeouts().totalOrNull(),
                hints.orderedStream().collect(Collectors.toList()));
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
     * With the gateway's resilience4j {@code CircuitBreaker} filter: a call its open circuit refused reaches the
     * global filter ({@link CircuitBreakerCauseFilterFactory} replaces the gateway's factory, which drops the
     * cause) and is answered 503 {@code destination_unavailable} with a {@code Retry-After} for the time the
     * circuit stays open ({@link OpenCircuits}).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.github.resilience4j.circuitbreaker.CallNotPermittedException",
            "org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory",
            "org.springframework.cloud.gateway.filter.factory.SpringCloudCircuitBreakerResilience4JFilterFactory"})
    static class CircuitBreakers {

        /** Tracks the circuit breakers and keeps the cause of a refused call. */
        @Bean
        @ConditionalOnMissingBean
        static CircuitBreakerRetryAfter.CauseKeepingPostProcessor upstreamGuardCircuitBreakerCause(
                ObjectProvider<org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory> factory,
                ObjectProvider<org.springframework.web.reactive.DispatcherHandler> dispatcher) {
            return new CircuitBreakerRetryAfter.CauseKeepingPostProcessor(factory, dispatcher);
        }

        /** {@code Retry-After} of a call an open circuit refused: the time it stays open. */
        @Bean
        @ConditionalOnMissingBean
        CircuitBreakerRetryAfter upstreamGuardCircuitBreakerRetryAfter(CircuitBreakerRetryAfter.CauseKeepingPostProcessor cause,
                ObjectProvider<org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory> factory) {
            return new CircuitBreakerRetryAfter(cause.circuits(), factory);
        }
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

    /** The gauges of the guarded routes, bound to the shared configuration's meters when there is a {@link MeterRegistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class RouteGauges {

        /**
         * The gauges of every route the head filter guards (kept while the route exists, removed with it), of
         * the passive health of load-balanced services (tagged with the service id) and of the limit backend,
         * bound once all singletons exist.
         */
        @Bean
        SmartInitializingSingleton upstreamGuardRouteGauges(ObjectProvider<UpstreamGuardMetrics> metrics,
                                                            ObjectProvider<UpstreamHeadFilter> head,
                                                            ObjectProvider<UpstreamGuard> guard,
                                                            ObjectProvider<LoadBalancedPools> pools) {
            return () -> metrics.ifAvailable(m -> {
                guard.ifAvailable(g -> m.bindLimitBackend(g.bucketBackend()));
                head.ifAvailable(h -> m.bindRoutes(h.routeGuards()));
                pools.ifAvailable(p -> p.onNewPool(m::bindPool));
            });
        }
    }
}
