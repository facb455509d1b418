package dev.upstreamguard.servlet;

import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.Origin;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The filter's handling of exceptions escaping the application, on a real Jetty. */
class UpstreamGuardFilterTest {
    private final List<FailureEvent> events = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ServletTestServer server;

    @BeforeEach
    void start() throws Exception {
        UpstreamGuard guard = UpstreamGuard.builder().addListener(new GuardListener() {
            @Override
            public void onFailure(FailureEvent event) {
                events.add(event);
            }
        }).build();
        server = ServletTestServer.start(context -> {
            context.addFilter(new FilterHolder(new UpstreamGuardFilter(guard, "app")), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new ThrowingServlet()), "/*");
        });
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** Throws what the path names, before or after committing the response. */
    static final class ThrowingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
            switch (req.getPathInfo() == null ? req.getServletPath() : req.getPathInfo()) {
                case "/refused":
                    throw new ConnectException("Connection refused: db-primary.internal/10.9.8.7:5432");
                case "/timeout-wrapped":
                    throw new ServletException("calling inventory failed",
                            new HttpTimeoutException("request timed out after 10.9.8.7"));
                case "/bug":
                    throw new IllegalStateException("password=hunter2 for db-primary.internal");
                case "/refused-after-commit":
                    resp.setContentType("text/plain");
                    resp.getOutputStream().write("partial answer ".getBytes(StandardCharsets.US_ASCII));
                    resp.flushBuffer();
                    throw new ConnectException("Connection refused");
                default:
                    resp.getWriter().write("ok");
            }
        }
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).header("X-Request-Id", "req-42");
        if (accept != null) {
            b.header("Accept", accept);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUpstreamFailureEscapingTheApplicationGetsTheVerdict() throws Exception {
        HttpResponse<String> r = get("/refused", null);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("proxy-status").orElseThrow()).startsWith("upstream-guard;error=connection_refused");
        assertThat(r.headers().firstValue("content-type")).contains("application/problem+json");
        assertThat(r.body()).contains("\"error\":\"connection_refused\"", "\"request_id\":\"req-42\"")
                .doesNotContain("10.9.8.7", "db-primary");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.routeId()).isEqualTo("app");
            assertThat(e.origin()).isEqualTo(Origin.PROXY);
        });
    }

    @Test
    void aWrappedTimeoutIsA504() throws Exception {
        HttpResponse<String> r = get("/timeout-wrapped", "application/json");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.headers().firstValue("proxy-status").orElseThrow()).startsWith("upstream-guard;error=http_response_timeout");
        assertThat(r.body()).doesNotContain("10.9.8.7");
    }

    @Test
    void theApplicationsOwnBugIsA500WithoutProxyStatusOrMessage() throws Exception {
        HttpResponse<String> r = get("/bug", null);
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue("proxy-status")).isEmpty();
        assertThat(r.body()).contains("\"status\":500", "req-42").doesNotContain("hunter2", "db-primary", "IllegalState");
        assertThat(events).isEmpty();
    }

    @Test
    void plainTextForBrowsers() throws Exception {
        HttpResponse<String> r = get("/refused", "text/html");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
        assertThat(r.body()).contains("error: connection_refused");
    }

    @Test
    void afterCommitTheResponseIsAbortedSoTheClientSeesTruncation() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /refused-after-commit HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    received.write(buf, 0, n);
                }
            } catch (IOException reset) {
                // a reset is a fine way to abort too
            }
            String text = received.toString(StandardCharsets.US_ASCII);
            assertThat(text).startsWith("HTTP/1.1 200").contains("partial answer")
                    .contains("Transfer-Encoding: chunked")
                    .as("no last-chunk: the body must not look complete").doesNotContain("\r\n0\r\n\r\n");
        }
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.aborted()).isTrue();
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.errorToken()).isEqualTo("connection_refused");
        });
    }

    @Test
    void healthyResponsesPassUntouched() throws Exception {
        HttpResponse<String> r = get("/fine", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok");
        assertThat(r.headers().firstValue("proxy-status")).isEmpty();
    }

    @Test
    void badInitParamsFailTheStartNamingThePropertyAndTheAcceptedValues() {
        UpstreamGuardFilter filter = new UpstreamGuardFilter();
        assertThatThrownBy(() -> filter.init(config(Map.of("exposure.mode", "everyone"))))
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("guard")
                .hasMessageContaining("'exposure.mode'")
                .hasMessageContaining("'everyone'")
                .hasMessageContaining("never, trusted, always");
    }

    @Test
    void initParamsConfigureThePolicy() throws Exception {
        UpstreamGuardFilter filter = new UpstreamGuardFilter();
        filter.init(config(Map.of("proxy-status.member-name", "edge", "status.connection_refused", "503",
                UpstreamGuardFilter.ROUTE_ID, "orders")));
        assertThat(filter.guard().policy().memberName()).isEqualTo("edge");
        assertThat(filter.guard().policy().statusFor(dev.upstreamguard.core.ErrorType.CONNECTION_REFUSED)).isEqualTo(503);
    }

    /** A plain FilterConfig, as a container builds it from web.xml. */
    private static FilterConfig config(Map<String, String> params) {
        return new FilterConfig() {
            @Override
            public String getFilterName() {
                return "guard";
            }

            @Override
            public ServletContext getServletContext() {
                return null;
            }

            @Override
            public String getInitParameter(String name) {
                return params.get(name);
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                return Collections.enumeration(params.keySet());
            }
        };
    }
}
