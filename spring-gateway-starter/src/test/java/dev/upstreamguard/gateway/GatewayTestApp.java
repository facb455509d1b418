package dev.upstreamguard.gateway;

import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Scenario;
import dev.upstreamguard.testkit.Scenarios;
import io.netty.resolver.DefaultAddressResolverGroup;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gateway application of the tests: routes to the test kit's {@link MisbehavingUpstream} (one route
 * per kind of target), the timing contract of {@link Scenarios} (500 ms connect timeout, 1 s head
 * deadline), and Reactor Netty's client on the JDK resolver so the test hosts file keeps every lookup
 * on this machine.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class GatewayTestApp {
    /** The upstream every test gateway routes to; started once per JVM, daemon threads. */
    static final MisbehavingUpstream UPSTREAM = MisbehavingUpstream.start();

    static final String GW = "spring.cloud.gateway.server.webflux.";

    /** Name lookups through the JDK, which honours {@code -Djdk.net.hosts.file}: only localhost resolves. */
    @Bean
    HttpClientCustomizer jdkResolverForTests() {
        return client -> client.resolver(DefaultAddressResolverGroup.INSTANCE);
    }

    /** The routes and timeouts both test gateways share. */
    static Map<String, Object> commonProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        route(p, 0, "fault", UPSTREAM.baseUri(), "/fault/**");
        route(p, 1, "refused", UPSTREAM.refusedUri(), "/refused");
        route(p, 2, "connect-timeout", UPSTREAM.connectTimeoutUri(), "/connect-timeout");
        route(p, 3, "dns", MisbehavingUpstream.unresolvableUri(), "/dns-error");
        p.put(GW + "httpclient.connect-timeout", (int) Scenarios.RECOMMENDED_CONNECT_TIMEOUT.toMillis());
        p.put("server.address", "127.0.0.1");
        p.put("spring.main.banner-mode", "off");
        return p;
    }

    /** The gateway path that reaches {@code scenario}'s target. */
    static String pathOf(Scenario scenario) {
        switch (scenario.target()) {
            case FAULT_PATH:
                return scenario.fault().path();
            case REFUSED:
                return "/refused";
            case CONNECT_TIMEOUT:
                return "/connect-timeout";
            default:
                return "/dns-error";
        }
    }

    static void route(Map<String, Object> p, int index, String id, URI uri, String path) {
        String prefix = GW + "routes[" + index + "].";
        p.put(prefix + "id", id);
        p.put(prefix + "uri", uri.getScheme() + "://" + uri.getAuthority());
        p.put(prefix + "predicates[0]", "Path=" + path);
    }
}
