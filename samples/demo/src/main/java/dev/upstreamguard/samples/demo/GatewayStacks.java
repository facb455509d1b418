package dev.upstreamguard.samples.demo;

import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Scenarios;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The two Spring Cloud Gateways (server-webflux on Reactor Netty), in this JVM on ephemeral loopback ports. */
final class GatewayStacks {
    private static final String GW = "spring.cloud.gateway.server.webflux.";

    private GatewayStacks() {
    }

    /**
     * Starts a gateway with the demo's routes: the starter on ({@code guarded}, with its own 1 s head deadline),
     * or off ({@code upstream-guard.enabled=false}: the stock gateway, given the gateway's own
     * {@code response-timeout} of 1 s). Both connect with a 500 ms timeout.
     */
    static ConfigurableApplicationContext start(MisbehavingUpstream upstream, boolean guarded) {
        Map<String, Object> p = new LinkedHashMap<>();
        List<DemoRoutes.DemoRoute> routes = DemoRoutes.of(upstream);
        for (int i = 0; i < routes.size(); i++) {
            DemoRoutes.DemoRoute r = routes.get(i);
            p.put(GW + "routes[" + i + "].id", r.id());
            p.put(GW + "routes[" + i + "].uri", r.upstream().toString());
            p.put(GW + "routes[" + i + "].predicates[0]", "Path=" + r.prefix() + "/**," + r.prefix());
        }
        p.put(GW + "httpclient.connect-timeout", (int) Scenarios.RECOMMENDED_CONNECT_TIMEOUT.toMillis());
        String headTimeout = Scenarios.RECOMMENDED_RESPONSE_TIMEOUT.toMillis() + "ms";
        if (guarded) {
            p.put("upstream-guard.response-timeout", headTimeout);
            p.put("upstream-guard.exposure.trusted-cidrs", JettyStacks.LOOPBACK); // details for the demo's client
        } else {
            p.put("upstream-guard.enabled", "false");
            p.put(GW + "httpclient.response-timeout", headTimeout);
        }
        p.put("server.address", "127.0.0.1");
        p.put("server.port", "0");
        p.put("spring.main.banner-mode", "off");
        p.put("spring.application.name", guarded ? "guarded-gateway" : "stock-gateway");
        return new SpringApplicationBuilder(DemoGateway.class).web(WebApplicationType.REACTIVE)
                .logStartupInfo(false).properties(p).run();
    }

    /** The port a gateway started here listens on. */
    static int port(ConfigurableApplicationContext gateway) {
        return Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.server.port"));
    }
}
