package dev.upstreamguard.gateway;

import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.SwitchableUpstream;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's own {@code CircuitBreaker} filter (Spring Cloud CircuitBreaker over resilience4j) on a guarded
 * route of a real gateway, in front of an upstream that serves, refuses, and serves again: while the circuit
 * is closed the starter's classification of the upstream's failures stands (502 {@code connection_refused});
 * once resilience4j opened it, the refused call is 503 {@code destination_unavailable} with
 * {@code Proxy-Status}, problem details and a {@code Retry-After} for the time the circuit stays open — not
 * the gateway's bare 503 — and the upstream receives nothing.
 */
class CircuitBreakerTest {

    /** resilience4j's wait in the open state for the route's circuit. */
    static final Duration OPEN_FOR = Duration.ofSeconds(60);

    private static final SwitchableUpstream UPSTREAM = SwitchableUpstream.refusing();
    private static ConfigurableApplicationContext gateway;
    private static int port;

    /** The circuit {@code guarded}: opens when the last two calls both failed, stays open {@link #OPEN_FOR}. */
    @Configuration(proxyBeanMethods = false)
    static class Circuits {
        @Bean
        Customizer<ReactiveResilience4JCircuitBreakerFactory> guardedCircuit() {
            return factory -> factory.configure(builder -> builder
                    .circuitBreakerConfig(CircuitBreakerConfig.custom()
                            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                            .slidingWindowSize(2).minimumNumberOfCalls(2).failureRateThreshold(100)
                            .waitDurationInOpenState(OPEN_FOR).build())
                    .timeLimiterConfig(TimeLimiterConfig.custom().timeoutDuration(Duration.ofSeconds(10)).build()),
                    "guarded");
        }
    }

    @BeforeAll
    static void start() {
        Map<String, Object> p = new LinkedHashMap<>(GatewayTestApp.commonProperties());
        GatewayTestApp.route(p, 4, "breaker", UPSTREAM.baseUri(), "/breaker/**");
        p.put(GatewayTestApp.GW + "routes[4].filters[0]", "StripPrefix=1");
        p.put(GatewayTestApp.GW + "routes[4].filters[1].name", "CircuitBreaker");
        p.put(GatewayTestApp.GW + "routes[4].filters[1].args.name", "guarded");
        p.put("server.port", 0);
        gateway = new SpringApplicationBuilder(GatewayTestApp.class, Circuits.class).properties(p).run();
        port = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        UPSTREAM.close();
    }

    @Test
    void anOpenCircuitIsDestinationUnavailableWithTheTimeItStaysOpen() throws Exception {
        String path = "/breaker" + Fault.CONTROL_OK.path();
        UPSTREAM.serve();
        assertThat(Observed.get(port, path).status()).isEqualTo(200);

        UPSTREAM.refuse();
        for (int i = 0; i < 2; i++) { // closed: the upstream's failure, classified by the starter
            Observed refused = Observed.get(port, path);
            assertThat(refused.status()).as("closed circuit, call %d", i + 1).isEqualTo(502);
            assertThat(refused.proxyStatus()).startsWith("upstream-guard;error=connection_refused");
        }
        CircuitBreaker circuit = gateway.getBean(ReactiveResilience4JCircuitBreakerFactory.class)
                .getCircuitBreakerRegistry().circuitBreaker("guarded");
        assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        UPSTREAM.serve(); // healed, but the circuit is open: nothing may reach it
        Observed open = Observed.get(port, path);

        assertThat(open.status()).isEqualTo(503);
        assertThat(open.proxyStatus()).isEqualTo("upstream-guard;error=destination_unavailable");
        assertThat(open.contentType()).startsWith("application/problem+json");
        assertThat(open.bodyText()).contains("\"error\":\"destination_unavailable\"", "\"status\":503");
        assertThat(open.retryAfter()).as("the time the circuit stays open").isNotNull();
        assertThat(Long.parseLong(open.retryAfter())).isBetween(OPEN_FOR.toSeconds() - 10, OPEN_FOR.toSeconds());
        assertThat(UPSTREAM.requestCount(Fault.CONTROL_OK)).as("only the first call reached the upstream").isEqualTo(1);
    }
}
