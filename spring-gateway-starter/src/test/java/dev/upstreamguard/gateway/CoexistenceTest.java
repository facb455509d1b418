package dev.upstreamguard.gateway;

import dev.upstreamguard.testkit.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionWriter;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static dev.upstreamguard.gateway.GatewayTestApp.UPSTREAM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter beside the gateway's own machinery on a real gateway: its {@code Retry} filter on a route with
 * a concurrency limit of 1, and route refreshes ({@code RefreshRoutesEvent}) that keep the state of the
 * routes that stay and release the routes that go.
 */
class CoexistenceTest {

    private static ConfigurableApplicationContext gateway;
    private static int port;
    private static final Semaphore REFRESHED = new Semaphore(0);

    @BeforeAll
    static void start() {
        Map<String, Object> p = new LinkedHashMap<>(GatewayTestApp.commonProperties());
        String gw = GatewayTestApp.GW;
        // the gateway's own Retry filter (on 503) and our limit of 1 on the same route
        GatewayTestApp.route(p, 4, "scg-retry", UPSTREAM.baseUri(), "/scg-retry/**");
        p.put(gw + "routes[4].filters[0]", "StripPrefix=1");
        p.put(gw + "routes[4].filters[1].name", "Retry");
        p.put(gw + "routes[4].filters[1].args.retries", 2);
        p.put(gw + "routes[4].filters[1].args.statuses", "SERVICE_UNAVAILABLE");
        p.put(gw + "routes[4].filters[1].args.methods", "GET");
        p.put(gw + "routes[4].filters[1].args.backoff.first-backoff", "10ms");
        p.put(gw + "routes[4].filters[2].name", "UpstreamGuard");
        p.put(gw + "routes[4].filters[2].args.max-concurrent", 1);
        // a limit of 1 that must survive a refresh
        GatewayTestApp.route(p, 5, "single", UPSTREAM.baseUri(), "/single/**");
        p.put(gw + "routes[5].filters[0]", "StripPrefix=1");
        p.put(gw + "routes[5].filters[1].name", "UpstreamGuard");
        p.put(gw + "routes[5].filters[1].args.max-concurrent", 1);
        p.put("upstream-guard.response-timeout", "1500ms");
        p.put("server.port", 0);
        gateway = new SpringApplicationBuilder(GatewayTestApp.class).properties(p)
                .listeners((ApplicationListener<RefreshRoutesResultEvent>) e -> REFRESHED.release()).run();
        port = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static void refresh() throws InterruptedException {
        REFRESHED.drainPermits();
        gateway.publishEvent(new RefreshRoutesEvent(CoexistenceTest.class));
        assertThat(REFRESHED.tryAcquire(10, TimeUnit.SECONDS)).as("routes refreshed").isTrue();
    }

    @Test
    void theGatewaysRetryFilterLeaksNoConcurrencySlot() throws Exception {
        int before = UPSTREAM.requestCount(Fault.UPSTREAM_503_RETRY_AFTER);

        Observed retried = Observed.get(port, "/scg-retry" + Fault.UPSTREAM_503_RETRY_AFTER.path());

        assertThat(retried.status()).isEqualTo(503);
        assertThat(UPSTREAM.requestCount(Fault.UPSTREAM_503_RETRY_AFTER) - before).as("the Retry filter re-ran the chain")
                .isEqualTo(3);
        Observed next = Observed.get(port, "/scg-retry" + Fault.CONTROL_OK.path());
        assertThat(next.status()).as("the next request is admitted under a limit of 1").isEqualTo(200);
    }

    @Test
    void aRefreshKeepsTheLimitOfARouteThatStays() throws Exception {
        int before = UPSTREAM.requestCount(Fault.STALL);
        CompletableFuture<Observed> holder = CompletableFuture.supplyAsync(() -> {
            try {
                return Observed.get(port, "/single" + Fault.STALL.path());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        UPSTREAM.awaitRequests(Fault.STALL, before + 1, Duration.ofSeconds(30)); // the slot is taken

        refresh();
        Observed second = Observed.get(port, "/single" + Fault.CONTROL_OK.path());

        assertThat(second.status()).as("a limit of 1 stays in force across a refresh").isEqualTo(503);
        assertThat(second.proxyStatus()).startsWith("upstream-guard;error=connection_limit_reached");
        assertThat(holder.get(30, TimeUnit.SECONDS).status()).isEqualTo(504);
    }

    @Test
    void aRefreshReleasesTheGuardOfARemovedRoute() throws Exception {
        RouteDefinitionWriter writer = gateway.getBean(RouteDefinitionWriter.class);
        RouteDefinition temporary = new RouteDefinition();
        temporary.setId("temporary");
        temporary.setUri(UPSTREAM.baseUri());
        temporary.setPredicates(java.util.List.of(new PredicateDefinition("Path=/temporary/**")));
        temporary.setFilters(java.util.List.of(new FilterDefinition("StripPrefix=1"), new FilterDefinition("UpstreamGuard=2s")));
        writer.save(Mono.just(temporary)).block(Duration.ofSeconds(10));
        refresh();
        assertThat(Observed.get(port, "/temporary" + Fault.CONTROL_OK.path()).status()).isEqualTo(200);
        UpstreamHeadFilter head = gateway.getBean(UpstreamHeadFilter.class);
        assertThat(head.routeGuards().find("temporary")).isNotNull();

        writer.delete(Mono.just("temporary")).block(Duration.ofSeconds(10));
        refresh();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (head.routeGuards().find("temporary") != null && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertThat(head.routeGuards().find("temporary")).as("released").isNull();
        assertThat(head.routeGuards().find("single")).as("routes that stay are kept").isNotNull();
    }
}
