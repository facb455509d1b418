package dev.upstreamguard.servlet;

import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.OriginGuardAction;
import dev.upstreamguard.core.OriginHeaderEvent;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.OriginGuardPolicy;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The origin-side guard on a real Jetty: this application never causes "upstream sent too big header". */
class OriginGuardTest {
    private final List<OriginHeaderEvent> events = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ServletTestServer server;

    /** Sets a 3 KiB debug header and a 2 KiB cookie on /big, writes a body through the writer. */
    static final class BigHeadServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            if (req.getRequestURI().equals("/big")) {
                resp.setHeader("X-Debug-Trace", "t".repeat(3072));
                resp.setHeader("X-Session-Hint", "s".repeat(2048));
            }
            if (req.getRequestURI().equals("/traces")) {
                resp.addHeader("X-Debug-Trace", "short");
                resp.addHeader("X-Debug-Trace", "t".repeat(5000));
                resp.addHeader("X-Debug-Trace", "also-short");
            }
            if (req.getRequestURI().equals("/cookies")) {
                resp.addHeader("Set-Cookie", "session=abc123; Path=/; HttpOnly");
                resp.addHeader("Set-Cookie", "tracking=\u20ac\u0001; Path=/");   // characters RFC 9110 forbids
                resp.addHeader("Set-Cookie", "theme=dark; Path=/");
            }
            resp.setHeader("X-Small", "1");
            resp.getWriter().write("body");
        }
    }

    private void start(OriginGuardAction action) throws Exception {
        UpstreamGuard guard = UpstreamGuard.builder()
                .policy(GuardPolicy.builder().originGuard(new OriginGuardPolicy(true, 4096, action)).build())
                .addListener(new GuardListener() {
                    @Override
                    public void onOriginHeaderViolation(OriginHeaderEvent event) {
                        events.add(event);
                    }
                }).build();
        server = ServletTestServer.start(context -> {
            context.addFilter(new FilterHolder(new UpstreamGuardFilter(guard, "app")), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new BigHeadServlet()), "/*");
        });
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void warnSendsTheResponseAndReportsIt() throws Exception {
        start(OriginGuardAction.WARN);
        HttpResponse<String> r = get("/big");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("body");
        assertThat(r.headers().firstValue("x-debug-trace")).isPresent();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(OriginHeaderEvent.Kind.SECTION_OVER_BUDGET);
            assertThat(e.size()).isGreaterThan(4096);
            assertThat(e.budget()).isEqualTo(4096);
            assertThat(e.action()).isEqualTo(OriginGuardAction.WARN);
        });
    }

    @Test
    void rejectReplacesTheResponseWithAConfigurationError() throws Exception {
        start(OriginGuardAction.REJECT);
        HttpResponse<String> r = get("/big");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue("proxy-status").orElseThrow()).startsWith("upstream-guard;error=proxy_configuration_error");
        assertThat(r.headers().firstValue("x-debug-trace")).isEmpty();
        assertThat(r.headers().firstValue("x-small")).isEmpty();
        assertThat(r.body()).contains("proxy_configuration_error").doesNotContain("body");
    }

    @Test
    void stripRemovesTheLargestFieldsUntilTheHeadFits() throws Exception {
        start(OriginGuardAction.STRIP);
        HttpResponse<String> r = get("/big");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("body");
        assertThat(r.headers().firstValue("x-debug-trace")).isEmpty();
        assertThat(r.headers().firstValue("x-session-hint")).contains("s".repeat(2048));
        assertThat(r.headers().firstValue("x-small")).contains("1");
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
    }

    @Test
    void stripRemovesOnlyTheIllegalValueOfAFieldWithSeveral() throws Exception {
        start(OriginGuardAction.STRIP);
        HttpResponse<String> r = get("/cookies");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("body");
        assertThat(r.headers().allValues("set-cookie"))
                .containsExactly("session=abc123; Path=/; HttpOnly", "theme=dark; Path=/");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(OriginHeaderEvent.Kind.ILLEGAL_CHARACTER);
            assertThat(e.fieldName()).isEqualToIgnoringCase("Set-Cookie");
        });
    }

    @Test
    void stripRemovesOnlyTheLargeValueOfAFieldWithSeveral() throws Exception {
        start(OriginGuardAction.STRIP);
        HttpResponse<String> r = get("/traces");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().allValues("x-debug-trace")).containsExactly("short", "also-short");
        assertThat(r.headers().firstValue("x-small")).contains("1");
    }

    @Test
    void smallHeadsAreLeftAlone() throws Exception {
        start(OriginGuardAction.REJECT);
        HttpResponse<String> r = get("/small");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("body");
        assertThat(events).isEmpty();
    }
}
