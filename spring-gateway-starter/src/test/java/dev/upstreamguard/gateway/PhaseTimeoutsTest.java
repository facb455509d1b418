package dev.upstreamguard.gateway;

import dev.upstreamguard.testkit.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.upstreamguard.gateway.GatewayTestApp.UPSTREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway's per-phase timeouts with the Jetty module's names: {@code timeouts.idle} cuts a body that
 * stalls after the head (the client sees a truncated response, the upstream connection is closed) and
 * {@code timeouts.total} bounds the whole exchange.
 */
class PhaseTimeoutsTest {

    private static final Duration IDLE = Duration.ofMillis(500);
    private static final Duration TOTAL = Duration.ofSeconds(3);
    /** Slack for a loaded test machine. */
    private static final long MARGIN_MILLIS = 2500;

    private static StalledBodyUpstream stalled;
    private static ConfigurableApplicationContext gateway;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        stalled = StalledBodyUpstream.start();
        Map<String, Object> p = new LinkedHashMap<>(GatewayTestApp.commonProperties());
        GatewayTestApp.route(p, 4, "stalled-body", stalled.baseUri(), "/stalled-body/**");
        p.put("upstream-guard.timeouts.idle", IDLE.toMillis()); // bare milliseconds
        p.put("upstream-guard.timeouts.total", "3s");
        p.put("upstream-guard.response-timeout", "30s");
        p.put("server.port", 0);
        gateway = new SpringApplicationBuilder(GatewayTestApp.class).properties(p).run();
        port = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.server.port"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        stalled.close();
    }

    @Test
    void aBodyThatStallsAfterTheHeadIsCutWithinTheIdleTimeoutAndItsConnectionClosed() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> sent = client.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/stalled-body/x")).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThatThrownBy(() -> sent.get(IDLE.toMillis() + MARGIN_MILLIS, TimeUnit.MILLISECONDS))
                .as("a truncated response, not a hang").isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsed).as("cut by the idle timeout, not the total one").isBetween(IDLE.toMillis() - 50, TOTAL.toMillis() - 1);
        assertThat(stalled.awaitClosedByProxy(MARGIN_MILLIS)).as("the upstream connection is closed").isTrue();
    }

    @Test
    void theTotalTimeoutBoundsAnExchangeWhoseHeadNeverComes() throws Exception {
        long start = System.nanoTime();
        Observed o = Observed.get(port, Fault.STALL.path());
        long elapsed = (System.nanoTime() - start) / 1_000_000;

        assertThat(o.status()).isEqualTo(504);
        assertThat(o.proxyStatus()).startsWith("upstream-guard;error=http_response_timeout");
        assertThat(elapsed).as("timeouts.total, not the 30 s head deadline")
                .isBetween(TOTAL.toMillis() - 50, TOTAL.toMillis() + MARGIN_MILLIS);
        assertThat(UPSTREAM.requestCount(Fault.STALL)).isPositive();
    }

    @Test
    void theTimeoutsBindAndReachTheClientCustomizer() {
        assertThat(gateway.getBean(PhaseTrackingHttpClientCustomizer.class).bodyIdleTimeout()).isEqualTo(IDLE);
        assertThat(gateway.getBean(UpstreamGuardGatewayProperties.class).getTimeouts().getTotal()).isEqualTo(TOTAL);
    }
}
