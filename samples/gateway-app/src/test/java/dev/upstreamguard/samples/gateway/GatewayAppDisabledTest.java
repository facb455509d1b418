package dev.upstreamguard.samples.gateway;

import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kill switch on the shipped sample: with {@code --upstream-guard.enabled=false} its routes, which name the
 * {@code UpstreamGuard} filter, stay valid; the gateway starts and proxies as the stock gateway.
 */
class GatewayAppDisabledTest {

    @Test
    void startsAndProxiesWithTheStarterDisabled() throws Exception {
        try (MisbehavingUpstream upstream = MisbehavingUpstream.start();
             ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewaySampleApplication.class).run(
                     "--server.port=0",
                     "--spring.main.banner-mode=off",
                     "--upstream-guard.enabled=false",
                     "--sample.orders-url=" + upstream.baseUri(),
                     "--sample.search-url=" + upstream.baseUri(),
                     "--sample.reports-url=" + upstream.baseUri())) {
            int port = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.server.port"));
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (String route : new String[] {"/orders", "/search", "/reports"}) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + route + Fault.CONTROL_OK.path()))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(route).isEqualTo(200);
                assertThat(r.body()).isEqualTo(MisbehavingUpstream.CONTROL_BODY);
                assertThat(r.headers().firstValue("ratelimit-policy")).as("no rate limit: the starter is off").isEmpty();
            }
        }
    }
}
