package dev.upstreamguard.gateway;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static dev.upstreamguard.gateway.GuardedGatewayTest.VIA_UPSTREAM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loop detection by {@code Via}: the gateway appends its pseudonym to the requests it sends upstream,
 * and refuses a request that already carries it with 502 {@code proxy_loop_detected}, never sending it on.
 */
class LoopDetectionTest extends GuardedGatewayTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void ourViaGoesUpstreamAfterTheElementsTheRequestCarried() throws Exception {
        HttpResponse<String> r = send("1.1 cdn-3");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(elements(VIA_UPSTREAM.lastVia())).containsExactly("1.1 cdn-3", "1.1 " + VIA_PSEUDONYM);
    }

    @Test
    void aRequestCarryingOurViaIs502ProxyLoopDetectedAndNotSentOn() throws Exception {
        int before = VIA_UPSTREAM.requests();

        HttpResponse<String> r = send("1.0 other-proxy, 1.1 GW-TEST (upstream-guard)");

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("Proxy-Status")).get().asString()
                .startsWith("upstream-guard;error=proxy_loop_detected");
        assertThat(r.body()).contains("\"error\":\"proxy_loop_detected\"");
        assertThat(VIA_UPSTREAM.requests()).isEqualTo(before);
    }

    private HttpResponse<String> send(String via) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/via/anything"))
                .header("Via", via).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> elements(List<String> lines) {
        return lines.stream().flatMap(line -> Arrays.stream(line.split(","))).map(String::trim).toList();
    }
}
