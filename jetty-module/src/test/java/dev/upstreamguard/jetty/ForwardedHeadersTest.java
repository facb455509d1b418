package dev.upstreamguard.jetty;

import dev.upstreamguard.core.CidrSet;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's own {@code Forwarded} and {@code X-Forwarded-*} fields reach the upstream only when the client is
 * a trusted proxy (then the chain is extended); from anyone else they are replaced with what the proxy saw.
 * End to end: a real client on 127.0.0.1, the proxy, and an upstream that records what it received.
 */
class ForwardedHeadersTest {

    /** Sends a plain-HTTP GET that claims another client, scheme, host, port and path prefix. */
    private static HttpFields spoofedRequestAsReceived(CidrSet trustedProxies) throws Exception {
        try (EchoUpstream upstream = EchoUpstream.start();
             ProxyServer proxy = ProxyServer.start(UpstreamGuardProxy.builder().trustedProxies(trustedProxies)
                     .route("/api", List.of(upstream.baseUri())).build())) {
            HttpResponse<Void> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(proxy.uri("/api/who"))
                            .header("X-Forwarded-For", "203.0.113.7")
                            .header("X-Forwarded-Proto", "https")
                            .header("X-Forwarded-Host", "evil.example")
                            .header("X-Forwarded-Port", "443")
                            .header("X-Forwarded-Prefix", "/admin")
                            .header("Forwarded", "for=203.0.113.7;proto=https;host=evil.example")
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(200);
            return upstream.next().headers();
        }
    }

    @Test
    void an_untrusted_clients_forwarded_fields_are_replaced_with_what_the_proxy_saw() throws Exception {
        HttpFields received = spoofedRequestAsReceived(CidrSet.empty()); // the default: nobody is trusted
        int proxyPort = Integer.parseInt(received.get("X-Forwarded-Port"));

        assertThat(received.getValuesList("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(received.getValuesList("X-Forwarded-Proto")).containsExactly("http");
        assertThat(received.getValuesList("X-Forwarded-Host")).containsExactly("127.0.0.1:" + proxyPort);
        assertThat(proxyPort).isNotEqualTo(443).isPositive();
        assertThat(received.contains("X-Forwarded-Prefix")).isFalse();
        assertThat(received.getValuesList("Forwarded")).singleElement().asString()
                .doesNotContain("203.0.113.7").doesNotContain("evil.example")
                .contains("for=\"127.0.0.1\"").contains("proto=http");
    }

    @Test
    void a_trusted_proxys_forwarded_fields_are_kept_and_the_chain_extended() throws Exception {
        HttpFields received = spoofedRequestAsReceived(CidrSet.parse("127.0.0.0/8"));

        assertThat(received.getValuesList("X-Forwarded-For")).containsExactly("203.0.113.7, 127.0.0.1");
        assertThat(received.getValuesList("X-Forwarded-Proto")).containsExactly("https");
        assertThat(received.getValuesList("X-Forwarded-Host")).containsExactly("evil.example");
        assertThat(received.getValuesList("X-Forwarded-Port")).containsExactly("443");
        assertThat(received.getValuesList("X-Forwarded-Prefix")).containsExactly("/admin");
        assertThat(String.join(", ", received.getValuesList("Forwarded")))
                .startsWith("for=203.0.113.7;proto=https;host=evil.example, ").contains("for=\"127.0.0.1\"");
    }
}
