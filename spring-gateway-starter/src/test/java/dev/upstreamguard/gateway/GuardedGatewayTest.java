package dev.upstreamguard.gateway;

import dev.upstreamguard.testkit.Scenarios;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of every test that needs the gateway with the starter on: they all share one Spring context
 * (same configuration, same dynamic properties), so it starts once per test run.
 */
@SpringBootTest(classes = GatewayTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class GuardedGatewayTest {

    @Autowired
    Environment environment;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        GatewayTestApp.commonProperties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("upstream-guard.response-timeout", () -> Scenarios.RECOMMENDED_RESPONSE_TIMEOUT.toMillis() + "ms");
        // the tests' client (loopback) sees details and next-hop; nobody does by default
        registry.add("upstream-guard.exposure.trusted-cidrs", () -> "127.0.0.0/8,::1/128");
        // a small fixed pool: the pool-exhaustion test holds every connection to the upstream
        registry.add(GatewayTestApp.GW + "httpclient.pool.type", () -> "fixed");
        registry.add(GatewayTestApp.GW + "httpclient.pool.max-connections", () -> POOL_SIZE);
        registry.add(GatewayTestApp.GW + "httpclient.pool.acquire-timeout", () -> 200);
        // a route with the per-route filter: 300 ms head deadline, no details, its own status for a head timeout
        Map<String, Object> routes = new LinkedHashMap<>();
        GatewayTestApp.route(routes, 4, "override", GatewayTestApp.UPSTREAM.baseUri(), "/override/**");
        routes.put(GatewayTestApp.GW + "routes[4].filters[0]", "StripPrefix=1");
        routes.put(GatewayTestApp.GW + "routes[4].filters[1].name", "UpstreamGuard");
        routes.put(GatewayTestApp.GW + "routes[4].filters[1].args.response-timeout", "300ms");
        routes.put(GatewayTestApp.GW + "routes[4].filters[1].args.exposure", "never");
        routes.put(GatewayTestApp.GW + "routes[4].filters[1].args.statuses", "http_response_timeout=503, connection_refused=503");
        routes.put(GatewayTestApp.GW + "routes[4].filters[1].args.policy.retry.max-attempts", 1); // any core key
        // a route with the gateway's own response timeout (route metadata): the starter's deadline stands back
        GatewayTestApp.route(routes, 5, "gateway-timeout", GatewayTestApp.UPSTREAM.baseUri(), "/gwtimeout/**");
        routes.put(GatewayTestApp.GW + "routes[5].filters[0]", "StripPrefix=1");
        routes.put(GatewayTestApp.GW + "routes[5].metadata.response-timeout", 400);
        // routes with limits of their own
        GatewayTestApp.route(routes, 6, "rate-limited", GatewayTestApp.UPSTREAM.baseUri(), "/limited/**");
        routes.put(GatewayTestApp.GW + "routes[6].filters[0]", "StripPrefix=1");
        routes.put(GatewayTestApp.GW + "routes[6].filters[1].name", "UpstreamGuard");
        routes.put(GatewayTestApp.GW + "routes[6].filters[1].args.rate-limit", RATE_LIMIT + "/60s");
        GatewayTestApp.route(routes, 7, "one-at-a-time", GatewayTestApp.UPSTREAM.baseUri(), "/single/**");
        routes.put(GatewayTestApp.GW + "routes[7].filters[0]", "StripPrefix=1");
        routes.put(GatewayTestApp.GW + "routes[7].filters[1].name", "UpstreamGuard");
        routes.put(GatewayTestApp.GW + "routes[7].filters[1].args.max-concurrent", 1);
        // load-balanced routes over SimpleDiscoveryClient instances: one healthy and one refusing, and two refusing
        GatewayTestApp.route(routes, 8, "lb-pair", java.net.URI.create("lb://healthy-pair"), "/lb/**");
        routes.put(GatewayTestApp.GW + "routes[8].filters[0]", "StripPrefix=1");
        GatewayTestApp.route(routes, 9, "lb-down", java.net.URI.create("lb://all-down"), "/lb-down/**");
        routes.put(GatewayTestApp.GW + "routes[9].filters[0]", "StripPrefix=1");
        String instances = "spring.cloud.discovery.client.simple.instances.";
        routes.put(instances + "healthy-pair[0].uri", LB_UPSTREAM.refusedUri().toString());
        routes.put(instances + "healthy-pair[1].uri", LB_UPSTREAM.baseUri().toString());
        routes.put(instances + "all-down[0].uri", LB_UPSTREAM.refusedUri().toString());
        routes.put(instances + "all-down[1].uri", GatewayTestApp.UPSTREAM.refusedUri().toString());
        routes.put("upstream-guard.health.consecutive-failures", EJECT_AFTER);
        // a route to an upstream that records Via, with a fixed pseudonym
        GatewayTestApp.route(routes, 10, "via", VIA_UPSTREAM.baseUri(), "/via/**");
        routes.put(GatewayTestApp.GW + "routes[10].filters[0]", "StripPrefix=1");
        routes.put("upstream-guard.via-pseudonym", VIA_PSEUDONYM);
        // a route that opts in to retrying upstream statuses (the default retries only what never left)
        GatewayTestApp.route(routes, 11, "retry-status", GatewayTestApp.UPSTREAM.baseUri(), "/retry-status/**");
        routes.put(GatewayTestApp.GW + "routes[11].filters[0]", "StripPrefix=1");
        routes.put(GatewayTestApp.GW + "routes[11].filters[1].name", "UpstreamGuard");
        routes.put(GatewayTestApp.GW + "routes[11].filters[1].args.policy.retry.conditions", "connect-failure,status");
        // a load-balanced route with a health policy of its own: an instance out after 1 failure (the global: EJECT_AFTER)
        GatewayTestApp.route(routes, 12, "lb-strict", java.net.URI.create("lb://strict-pair"), "/lb-strict/**");
        routes.put(GatewayTestApp.GW + "routes[12].filters[0]", "StripPrefix=1");
        routes.put(GatewayTestApp.GW + "routes[12].filters[1].name", "UpstreamGuard");
        routes.put(GatewayTestApp.GW + "routes[12].filters[1].args.policy.health.consecutive-failures", 1);
        routes.put(instances + "strict-pair[0].uri", LB_UPSTREAM.refusedUri().toString());
        routes.put(instances + "strict-pair[1].uri", LB_UPSTREAM.baseUri().toString());
        // a route to an upstream that keeps its connections open and answers fixed raw heads
        GatewayTestApp.route(routes, 13, "keep-alive", KEEP_ALIVE_UPSTREAM.baseUri(), "/keep-alive/**");
        routes.put(GatewayTestApp.GW + "routes[13].filters[0]", "StripPrefix=1");
        routes.forEach((k, v) -> registry.add(k, () -> v));
        // Spring's problem details for annotated controllers on: they must not reach the gateway's routes (ProblemDetailsTest)
        registry.add("spring.webflux.problemdetails.enabled", () -> "true");
        registry.add("management.endpoints.web.exposure.include", () -> "upstreamguard,health");
        registry.add("management.endpoint.health.show-components", () -> "always");
        registry.add("management.endpoint.health.show-details", () -> "always");
    }

    /** The healthy instance of the load-balanced service {@code healthy-pair}; its refused port serves as the other. */
    static final dev.upstreamguard.testkit.MisbehavingUpstream LB_UPSTREAM = dev.upstreamguard.testkit.MisbehavingUpstream.start();
    /** Records the Via lines the gateway sends upstream. */
    static final HeaderRecordingUpstream VIA_UPSTREAM = HeaderRecordingUpstream.start();
    /** Keeps connections open; answers raw heads by path (see {@link KeepAliveUpstream}). */
    static final KeepAliveUpstream KEEP_ALIVE_UPSTREAM = KeepAliveUpstream.start();
    /** The guarded gateway's Via pseudonym. */
    static final String VIA_PSEUDONYM = "gw-test";
    /** Failures in a row that eject an instance (only load-balanced services have pools). */
    static final int EJECT_AFTER = 2;

    /** Connections the gateway may open to one upstream address. */
    static final int POOL_SIZE = 2;
    /** Requests per minute per client on the route {@code /limited}. */
    static final int RATE_LIMIT = 2;

    int port() {
        return Integer.parseInt(environment.getProperty("local.server.port"));
    }
}
