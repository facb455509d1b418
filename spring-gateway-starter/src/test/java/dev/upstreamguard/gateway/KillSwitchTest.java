package dev.upstreamguard.gateway;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.upstreamguard.gateway.GatewayTestApp.UPSTREAM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code upstream-guard.enabled=false} on a real gateway whose routes name the {@code UpstreamGuard} filter:
 * the application starts, proxies, and every failure is the stock gateway's again.
 */
class KillSwitchTest {

    private static ConfigurableApplicationContext gateway;
    private static int port;

    @BeforeAll
    static void start() {
        Map<String, Object> p = new LinkedHashMap<>(GatewayTestApp.commonProperties());
        GatewayTestApp.route(p, 4, "guarded", UPSTREAM.baseUri(), "/guarded/**");
        p.put(GatewayTestApp.GW + "routes[4].filters[0]", "StripPrefix=1");
        p.put(GatewayTestApp.GW + "routes[4].filters[1].name", "UpstreamGuard");
        p.put(GatewayTestApp.GW + "routes[4].filters[1].args.max-concurrent", 1);
        p.put(GatewayTestApp.GW + "routes[4].filters[1].args.rate-limit", "1/60s");
        p.put(GatewayTestApp.GW + "routes[4].filters[1].args.response-timeout", "300ms");
        p.put(GatewayTestApp.GW + "routes[5].id", "short");
        p.put(GatewayTestApp.GW + "routes[5].uri", UPSTREAM.baseUri().toString());
        p.put(GatewayTestApp.GW + "routes[5].predicates[0]", "Path=/short/**");
        p.put(GatewayTestApp.GW + "routes[5].filters[0]", "StripPrefix=1");
        p.put(GatewayTestApp.GW + "routes[5].filters[1]", "UpstreamGuard=5s");
        p.put("upstream-guard.enabled", false);
        p.put("server.port", 0);
        gateway = new SpringApplicationBuilder(GatewayTestApp.class).properties(p).run();
        port = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void routesNamingTheFilterStartAndProxyUntouched() throws Exception {
        for (int i = 0; i < 3; i++) { // a rate limit of 1 per minute would refuse the second: it is off
            Observed o = Observed.get(port, "/guarded" + Fault.CONTROL_OK.path());
            assertThat(o.status()).isEqualTo(200);
            assertThat(o.bodyText()).isEqualTo(MisbehavingUpstream.CONTROL_BODY);
            assertThat(o.header("RateLimit")).isNull();
        }
        assertThat(Observed.get(port, "/short" + Fault.CONTROL_OK.path()).status()).isEqualTo(200);
        assertThat(gateway.getBeansOfType(UpstreamGuard.class)).isEmpty();
        assertThat(gateway.getBean(UpstreamGuardGatewayFilterFactory.class).isPassThrough()).isTrue();
    }

    @Test
    void failuresAreTheStockGatewaysAgain() throws Exception {
        Observed o = Observed.get(port, "/refused");

        assertThat(o.status()).as("the stock gateway's own 5xx").isBetween(500, 599);
        assertThat(o.proxyStatus()).isNull();
    }
}
