package dev.upstreamguard.benchmarks.soak;

import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.testkit.Scenarios;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The gateway starter: {@code /fault/**} to {@code lb://soak-pair} (upstreams A and B listed by the simple
 * discovery client, so passive health and retries see two instances), {@code /refused} to a refusing port.
 */
final class GatewayPackaging implements Packaging {
    private static final String GW = "spring.cloud.gateway.server.webflux.";

    private final ConfigurableApplicationContext context;

    GatewayPackaging(SoakUpstreams upstreams, String redisUri, GuardListener listener) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(GW + "routes[0].id", "faults");
        p.put(GW + "routes[0].uri", "lb://soak-pair");
        p.put(GW + "routes[0].predicates[0]", "Path=/fault/**");
        p.put(GW + "routes[1].id", "refused");
        p.put(GW + "routes[1].uri", upstreams.refusedBase().toString());
        p.put(GW + "routes[1].predicates[0]", "Path=/refused");
        p.put("spring.cloud.discovery.client.simple.instances.soak-pair[0].uri", upstreams.a().baseUri().toString());
        p.put("spring.cloud.discovery.client.simple.instances.soak-pair[1].uri", upstreams.b().baseUri().toString());
        p.put(GW + "httpclient.connect-timeout", (int) Scenarios.RECOMMENDED_CONNECT_TIMEOUT.toMillis());
        p.put("upstream-guard.response-timeout", Scenarios.RECOMMENDED_RESPONSE_TIMEOUT.toMillis() + "ms");
        p.putAll(SoakPolicy.prefixed("upstream-guard.", SoakPolicy.limits(redisUri)));
        p.put("server.address", "127.0.0.1");
        p.put("server.port", "0");
        p.put("spring.main.banner-mode", "off");
        p.put("spring.application.name", "soak-gateway");
        context = new SpringApplicationBuilder(SoakGateway.class).web(WebApplicationType.REACTIVE)
                .logStartupInfo(false).properties(p)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("soakListener", listener))
                .run();
    }

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public URI base() {
        return URI.create("http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    @Override
    public void close() {
        context.close();
    }
}
