package dev.upstreamguard.spring.boot.e2e;

import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real embedded server on 127.0.0.1 with the starter and Actuator: a controller whose upstream refuses the
 * connection answers 502 with Proxy-Status and problem details, and the status endpoint and health contributor
 * report the failure.
 */
@SpringBootTest(classes = GuardedMvcApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "spring.main.banner-mode=off",
        "management.endpoints.web.exposure.include=health,upstreamguard",
        "management.endpoint.health.show-components=always", "management.endpoint.health.show-details=always"})
class ServletStarterEndToEndTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final MisbehavingUpstream UPSTREAM = MisbehavingUpstream.start();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry registry) {
        registry.add("test.upstream", () -> UPSTREAM.refusedUri().toString());
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRefusedUpstreamIs502WithProxyStatusAndTheStatusPageShowsIt() throws Exception {
        HttpResponse<String> r = get("/orders", "application/problem+json");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("proxy-status").orElseThrow()).startsWith("upstream-guard;error=connection_refused");
        assertThat(r.headers().firstValue("content-type").orElseThrow()).isEqualTo("application/problem+json");
        assertThat(r.body()).contains("\"error\":\"connection_refused\"", "\"status\":502");

        HttpResponse<String> json = get("/actuator/upstreamguard", "application/json");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
        assertThat(json.body()).contains("\"default\"", "connection_refused");

        HttpResponse<String> html = get("/actuator/upstreamguard", "text/html");
        assertThat(html.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
        assertThat(html.body()).containsIgnoringCase("<html");

        HttpResponse<String> health = get("/actuator/health/upstreamguard", "application/json");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"", "connection_refused");
    }
}
