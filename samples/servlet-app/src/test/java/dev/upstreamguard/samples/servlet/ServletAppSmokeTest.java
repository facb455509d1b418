package dev.upstreamguard.samples.servlet;

import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as shipped (its application.properties), on a random loopback port, calling the test kit's
 * misbehaving upstream: upstream failures answered by the filter the starter registers, the rate limit, the
 * status page and the Prometheus scrape.
 */
class ServletAppSmokeTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static MisbehavingUpstream upstream;
    private static ConfigurableApplicationContext app;
    private static int port;

    @BeforeAll
    static void start() {
        upstream = MisbehavingUpstream.start();
        URI refused = upstream.refusedUri();
        // command-line arguments: above the sample's application.properties
        app = new SpringApplicationBuilder(ServletSampleApplication.class).run(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--sample.upstreams.faults=" + upstream.baseUri(),
                "--sample.upstreams.down=" + refused.getScheme() + "://" + refused.getRawAuthority(),
                "--sample.connect-timeout=500ms",
                "--sample.response-timeout=1s",
                "--upstream-guard.rate-limit.limit=20",
                "--upstream-guard.rate-limit.window=10s");
        port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        upstream.close();
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Accept", "application/problem+json");
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> scrape() throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void relaysAWellBehavedUpstream() throws Exception {
        HttpResponse<String> r = get("/api/faults" + Fault.CONTROL_OK.path());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(MisbehavingUpstream.CONTROL_BODY);
        assertThat(r.headers().firstValue("proxy-status")).isEmpty();
    }

    @Test
    void aRefusedConnectionIs502WithProxyStatusAndProblemDetails() throws Exception {
        HttpResponse<String> r = get("/api/down/orders/42");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("proxy-status").orElseThrow()).startsWith("upstream-guard;error=connection_refused");
        assertThat(r.headers().firstValue("content-type").orElseThrow()).isEqualTo("application/problem+json");
        assertThat(r.body()).contains("\"error\":\"connection_refused\"", "\"status\":502");
    }

    @Test
    void aStalledUpstreamIs504AndAnUpstream503PassesThrough() throws Exception {
        HttpResponse<String> stall = get("/api/faults" + Fault.STALL.path());
        assertThat(stall.statusCode()).isEqualTo(504);
        assertThat(stall.headers().firstValue("proxy-status").orElseThrow()).startsWith("upstream-guard;error=http_response_timeout");
        HttpResponse<String> busy = get("/api/faults" + Fault.UPSTREAM_503_RETRY_AFTER.path());
        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("proxy-status").orElseThrow()).isEqualTo("upstream-guard;received-status=503");
    }

    @Test
    void aClientOverItsRateLimitGets429WithRetryAfter() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> last = null;
        for (int i = 0; i < 25 && !statuses.contains(429); i++) {
            last = get("/api/faults" + Fault.CONTROL_OK.path(), "X-Api-Key", "greedy-client");
            statuses.add(last.statusCode());
        }
        assertThat(statuses).as("20 per 10 s for one key").contains(429).startsWith(200);
        assertThat(last.headers().firstValue("retry-after")).isPresent();
        assertThat(last.headers().firstValue("proxy-status").orElseThrow())
                .startsWith("upstream-guard;error=http_request_error;status-code=429");
    }

    @Test
    void theStatusPageShowsTheRouteAndItsFailures() throws Exception {
        get("/api/down/orders/7");
        HttpResponse<String> page = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/upstreamguard")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("\"api\"", "connection_refused");
    }

    @Test
    void prometheusScrapesTheFailureMeters() throws Exception {
        get("/api/down/orders/1");
        HttpResponse<String> scrape = scrape();
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).containsPattern("upstream_guard_failures_total\\{[^}]*error_type=\"connection_refused\"[^}]*\\} [1-9]")
                .as("the route's gauges: the scrape itself is not under /api/*, so nothing is in flight")
                .containsPattern("(?m)^upstream_guard_requests_total\\{route=\"api\"\\} [1-9][0-9]*\\.0$")
                .containsPattern("(?m)^upstream_guard_requests_in_flight\\{route=\"api\"\\} 0\\.0$")
                .containsPattern("(?m)^upstream_guard_concurrency_permits_in_use\\{route=\"api\"\\} 0\\.0$")
                .containsPattern("(?m)^upstream_guard_concurrency_limit\\{route=\"api\"\\} 200\\.0$")
                .containsPattern("(?m)^upstream_guard_limit_backend_up\\{backend=\"memory\",mode=\"none\"\\} 1\\.0$");
    }
}
