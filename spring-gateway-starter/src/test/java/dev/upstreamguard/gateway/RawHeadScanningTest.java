package dev.upstreamguard.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The raw response-head scan end to end, on keep-alive connections: a head whose field line Netty's decoder
 * would rewrite is answered {@code 502 http_protocol_error} and its connection is closed, never reused; a
 * valid head of many fields that arrives in many small TCP segments is relayed.
 */
class RawHeadScanningTest extends GuardedGatewayTest {

    private static final KeepAliveUpstream UPSTREAM = KEEP_ALIVE_UPSTREAM;
    private final HttpClient client = HttpClient.newHttpClient();

    @ParameterizedTest
    @ValueSource(strings = {"/bad-name", "/space-name", "/fold"})
    void aBadHeadClosesItsConnection(String path) throws Exception {
        HttpResponse<String> warmUp = get("/ok");
        assertThat(warmUp.statusCode()).isEqualTo(200);
        int pooled = UPSTREAM.last("/ok").connection();
        assertThat(get("/ok").statusCode()).isEqualTo(200);
        assertThat(UPSTREAM.last("/ok").connection()).as("the pool reuses a good connection").isEqualTo(pooled);

        HttpResponse<String> bad = get(path);

        assertThat(bad.statusCode()).isEqualTo(502);
        assertThat(bad.headers().firstValue("Proxy-Status")).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("upstream-guard;error=http_protocol_error");
        assertThat(UPSTREAM.last(path).connection()).as("the bad head came on the pooled connection").isEqualTo(pooled);
        assertThat(UPSTREAM.requests().stream().filter(r -> r.path().equals(path)).count())
                .as("not retried").isEqualTo(1);
        assertThat(UPSTREAM.awaitClosed(pooled, 5_000)).as("the proxy closed the connection of the bad head").isTrue();

        assertThat(get("/ok").statusCode()).isEqualTo(200);
        assertThat(UPSTREAM.last("/ok").connection()).as("the next request went on a new connection")
                .isGreaterThan(pooled);
    }

    @Test
    void aValidHeadOfManyFieldsInManySegmentsIsRelayed() throws Exception {
        HttpResponse<String> many = get("/many");
        HttpResponse<String> again = get("/many");

        for (HttpResponse<String> r : java.util.List.of(many, again)) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Proxy-Status")).isEmpty();
            assertThat(r.body()).isEqualTo("ok");
            int last = KeepAliveUpstream.MANY_FIELDS - 1;
            assertThat(r.headers().firstValue("X-Field-0")).hasValue("value-0");
            assertThat(r.headers().firstValue("X-Field-" + last)).hasValue("value-" + last);
        }
        assertThat(UPSTREAM.last("/many").connection()).as("the connection was kept")
                .isEqualTo(UPSTREAM.requests().stream().filter(r -> r.path().equals("/many")).findFirst()
                        .orElseThrow().connection());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/keep-alive" + path))
                .timeout(java.time.Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
