package dev.upstreamguard.gateway.webmvc;

import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The servlet-stack gateway (server-webmvc, on Tomcat) is covered by filter-core's servlet filter, not by
 * the starter: registered as a bean, it answers the gateway's refused upstream with 502
 * {@code connection_refused} instead of a 500. Runs in its own surefire execution, without the webflux
 * gateway on the classpath.
 */
@Tag("webmvc")
@SpringBootTest(classes = MvcGatewayApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MvcGatewayWithServletFilterTest {

    private static final MisbehavingUpstream UPSTREAM = MisbehavingUpstream.start();

    @Autowired
    Environment environment;

    @DynamicPropertySource
    static void routes(DynamicPropertyRegistry registry) {
        String prefix = "spring.cloud.gateway.server.webmvc.routes[0].";
        URI refused = UPSTREAM.refusedUri();
        registry.add(prefix + "id", () -> "refused");
        registry.add(prefix + "uri", () -> "http://127.0.0.1:" + refused.getPort());
        registry.add(prefix + "predicates[0]", () -> "Path=/refused");
        registry.add("server.address", () -> "127.0.0.1");
    }

    @Test
    void aRefusedUpstreamIs502ConnectionRefused() throws Exception {
        int port = Integer.parseInt(environment.getProperty("local.server.port"));
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/refused"))
                        .header("Accept", "application/problem+json").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("proxy-status").orElseThrow()).startsWith("upstream-guard;error=connection_refused");
        assertThat(r.body()).contains("\"error\":\"connection_refused\"");
    }
}
