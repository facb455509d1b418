package dev.upstreamguard.gateway;

import dev.upstreamguard.testkit.Scenarios;
import dev.upstreamguard.testkit.lifecycle.Capability;
import dev.upstreamguard.testkit.lifecycle.LifecycleConformance;
import dev.upstreamguard.testkit.lifecycle.LifecycleHarness;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Hooks;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test kit's lifecycle conformance suite through Spring Cloud Gateway with the starter: each sequence
 * starts a gateway of its own with one route {@code /**}, the sequence's core keys as global
 * {@code upstream-guard.*} properties and its response timeout as {@code upstream-guard.response-timeout}.
 * One upstream is a plain {@code http://} route; several are the instances of an {@code lb://} service
 * (SimpleDiscoveryClient), the routes the starter gives passive health.
 */
class GatewayLifecycleConformanceTest extends LifecycleConformance {

    @Override
    protected LifecycleHarness newHarness() {
        return new GatewayHarness();
    }

    /** Sequence 7 once more, watching for errors Reactor had to drop while the exchange was cancelled. */
    @Test
    void aClientGoneDuringTheBackoffCancelsWithoutADroppedError() throws Exception {
        List<Throwable> dropped = new CopyOnWriteArrayList<>();
        Hooks.onErrorDropped(dropped::add);
        try {
            aClientGoneDuringTheBackoffCancelsTheNextAttempt();
        } finally {
            Hooks.resetOnErrorDropped();
        }
        assertThat(dropped).as("errors dropped while the client's exchange was cancelled").isEmpty();
    }

    /** A gateway application per {@link #start}. */
    static final class GatewayHarness implements LifecycleHarness {
        private static final String SERVICE = "lifecycle";
        private ConfigurableApplicationContext gateway;
        private int port;

        @Override
        public String name() {
            return "spring-gateway-starter";
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.allOf(Capability.class);
        }

        @Override
        public void start(Map<String, String> properties, Duration responseTimeout, List<URI> upstreams) {
            stop();
            Map<String, Object> p = new LinkedHashMap<>();
            URI routeUri = upstreams.size() == 1 ? upstreams.get(0) : URI.create("lb://" + SERVICE);
            GatewayTestApp.route(p, 0, "r", routeUri, "/**");
            for (int i = 0; i < upstreams.size() && upstreams.size() > 1; i++) {
                p.put("spring.cloud.discovery.client.simple.instances." + SERVICE + "[" + i + "].uri",
                        upstreams.get(i).toString());
            }
            p.put(GatewayTestApp.GW + "httpclient.connect-timeout", (int) Scenarios.RECOMMENDED_CONNECT_TIMEOUT.toMillis());
            p.put("upstream-guard.response-timeout", responseTimeout.toMillis() + "ms");
            properties.forEach((key, value) -> p.put("upstream-guard." + key, value));
            p.put("server.address", "127.0.0.1");
            p.put("server.port", "0");
            p.put("spring.main.banner-mode", "off");
            p.put("server.shutdown", "immediate"); // a sequence may end with a request still waiting for its retry
            p.put("spring.reactor.netty.shutdown-quiet-period", "0s"); // else each stop waits 2 s for nothing
            gateway = new SpringApplicationBuilder(GatewayTestApp.class).properties(p).run();
            port = Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
        }

        @Override
        public URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        @Override
        public void stop() {
            if (gateway != null) {
                gateway.close();
                gateway = null;
            }
        }
    }
}
