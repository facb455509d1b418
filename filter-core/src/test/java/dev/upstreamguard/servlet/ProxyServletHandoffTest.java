package dev.upstreamguard.servlet;

import dev.upstreamguard.core.Phase;
import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A servlet-based proxy (Jetty's {@code ProxyServlet}) hands its upstream failures to the filter through
 * {@link ServletUpstreamGuard} and gets the same verdict as every other packaging.
 */
class ProxyServletHandoffTest {
    private static MisbehavingUpstream upstream;
    private static ServletTestServer proxy;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** What an application adds to its ProxyServlet: a few lines in the failure hook. */
    public static final class GuardedProxyServlet extends ProxyServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected String rewriteTarget(HttpServletRequest clientRequest) {
            String target = clientRequest.getParameter("target");
            return target == null ? null : target;
        }

        @Override
        protected void onProxyResponseFailure(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
                                              Response serverResponse, Throwable failure) {
            ServletUpstreamGuard guard = ServletUpstreamGuard.from(clientRequest);
            Phase phase = serverResponse != null && serverResponse.getStatus() > 0 ? Phase.READ_BODY : Phase.UNKNOWN;
            try {
                if (guard != null && guard.respond(clientRequest, proxyResponse, failure, phase)) {
                    clientRequest.getAsyncContext().complete();
                    return;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            super.onProxyResponseFailure(clientRequest, proxyResponse, serverResponse, failure);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        upstream = MisbehavingUpstream.start();
        proxy = ServletTestServer.start(context -> {
            context.addFilter(new FilterHolder(new UpstreamGuardFilter(dev.upstreamguard.core.lifecycle.UpstreamGuard.withDefaults(), "proxy")),
                    "/*", EnumSet.of(DispatcherType.REQUEST));
            ServletHolder holder = new ServletHolder(new GuardedProxyServlet());
            holder.setInitParameter("timeout", "1500");
            holder.setAsyncSupported(true);
            context.addServlet(holder, "/proxy");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
            "REFUSED, 502, connection_refused",
            "UNRESOLVABLE, 502, dns_error",
            "RESET_BEFORE_RESPONSE, 502, connection_terminated",
            "CLOSE_BEFORE_RESPONSE, 502, connection_terminated",
            "STALL, 504, http_response_timeout",
            "INVALID_HEADER_NAME, 502, http_protocol_error",
            "BAD_STATUS_LINE, 502, http_protocol_error",
    })
    void theProxyServletGetsTheSameVerdict(String target, int status, String error) throws Exception {
        String uri;
        switch (target) {
            case "REFUSED":
                uri = upstream.refusedUri().toString();
                break;
            case "UNRESOLVABLE":
                uri = MisbehavingUpstream.unresolvableUri().toString();
                break;
            default:
                uri = upstream.uri(Fault.valueOf(target)).toString();
        }
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(proxy.uri("/proxy?target="
                        + java.net.URLEncoder.encode(uri, java.nio.charset.StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("proxy-status").orElseThrow()).startsWith("upstream-guard;error=" + error);
        assertThat(r.body()).contains("\"error\":\"" + error + "\"");
    }
}
