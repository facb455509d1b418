package dev.upstreamguard.jetty;

import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that already passed through this proxy (our pseudonym in {@code Via}) is refused with
 * {@code proxy_loop_detected} and never sent upstream; other proxies' {@code Via} entries pass.
 */
class LoopDetectionTest {

    @Test
    void ourOwnViaIsALoopAndOthersAreNot() throws Exception {
        try (MisbehavingUpstream upstream = MisbehavingUpstream.start()) {
            GuardedProxyHandler handler = UpstreamGuardProxy.builder().viaPseudonym("edge-7")
                    .route("/fault", List.of(upstream.baseUri())).build();
            try (ProxyServer proxy = ProxyServer.start(handler)) {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                URI control = proxy.uri(Fault.CONTROL_OK.path());

                HttpResponse<String> looped = client.send(HttpRequest.newBuilder(control)
                        .header("Via", "1.1 cdn-3, 1.1 edge-7").timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(looped.statusCode()).isEqualTo(502);
                assertThat(looped.headers().firstValue("proxy-status").orElseThrow())
                        .startsWith("upstream-guard;error=proxy_loop_detected");
                assertThat(upstream.requestCount(Fault.CONTROL_OK)).as("a loop is never sent upstream").isZero();

                HttpResponse<String> passed = client.send(HttpRequest.newBuilder(control)
                        .header("Via", "1.1 cdn-3").timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(passed.statusCode()).isEqualTo(200);
                assertThat(upstream.requestCount(Fault.CONTROL_OK)).isEqualTo(1);
            }
        }
    }
}
