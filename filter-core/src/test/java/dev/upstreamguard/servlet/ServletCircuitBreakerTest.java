package dev.upstreamguard.servlet;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.CircuitEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.policy.CircuitBreakerPolicy;
import dev.upstreamguard.core.policy.GuardPolicy;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The circuit breaker in the servlet filter, on a real Jetty with the guard's clock injected: upstream failures
 * escaping the application open it, the application's own bugs do not, and while it is open the application is
 * not called.
 */
class ServletCircuitBreakerTest {
    private final AtomicLong clock = new AtomicLong(3_000_000_000L);
    private final AtomicInteger calls = new AtomicInteger();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final BlockingQueue<CircuitEvent.Kind> transitions = new LinkedBlockingQueue<>();
    private ServletTestServer server;

    @BeforeEach
    void start() throws Exception {
        GuardPolicy policy = GuardPolicy.builder()
                .circuitBreaker(new CircuitBreakerPolicy(true, 2, Duration.ofSeconds(10), 1)).build();
        UpstreamGuard guard = UpstreamGuard.builder().policy(policy).nanoClock(clock::get).logFailures(false)
                .addListener(new GuardListener() {
                    @Override
                    public void onCircuitChange(CircuitEvent event) {
                        transitions.add(event.kind());
                    }
                }).build();
        UpstreamGuardFilterTest.ThrowingServlet app = new UpstreamGuardFilterTest.ThrowingServlet();
        server = ServletTestServer.start(context -> {
            context.addFilter(new FilterHolder(new UpstreamGuardFilter(guard, "app")), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    calls.incrementAndGet();
                    try {
                        app.doGet(req, resp);
                    } catch (jakarta.servlet.ServletException e) {
                        throw new IOException(e);
                    }
                }
            }), "/*");
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
    void upstreamFailuresEscapingTheApplicationOpenItAndThenTheApplicationIsNotCalled() throws Exception {
        assertThat(get("/bug").statusCode()).isEqualTo(500);
        assertThat(get("/bug").statusCode()).as("the application's own bugs say nothing about an upstream").isEqualTo(500);
        assertThat(get("/refused").statusCode()).isEqualTo(502);
        assertThat(get("/refused").statusCode()).isEqualTo(502);
        int called = calls.get();
        // the filter reports a request's outcome as its exchange ends, which may be just after the client saw the answer
        assertThat(transitions.poll(10, TimeUnit.SECONDS)).isEqualTo(CircuitEvent.Kind.OPENED);

        clock.addAndGet(Duration.ofMillis(4_200).toNanos());
        HttpResponse<String> open = get("/ok");

        assertThat(open.statusCode()).isEqualTo(503);
        assertThat(open.headers().firstValue("proxy-status").orElseThrow())
                .startsWith("upstream-guard;error=destination_unavailable");
        assertThat(open.headers().firstValue("retry-after")).contains("6");
        assertThat(calls.get()).as("the application is not called while the circuit is open").isEqualTo(called);

        clock.addAndGet(Duration.ofMillis(5_800).toNanos());
        HttpResponse<String> probe = get("/ok");
        assertThat(probe.statusCode()).as("the probe the application answered").isEqualTo(200);
        assertThat(transitions.poll(10, TimeUnit.SECONDS)).isEqualTo(CircuitEvent.Kind.HALF_OPEN);
        assertThat(transitions.poll(10, TimeUnit.SECONDS)).isEqualTo(CircuitEvent.Kind.CLOSED);
        assertThat(get("/ok").statusCode()).as("closed by the probe").isEqualTo(200);
        assertThat(calls.get()).isEqualTo(called + 2);
    }
}
