package dev.upstreamguard.servlet;

import dev.upstreamguard.redis.LocalRedis;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of an application, each with the filter configured only by init-params, share one rate
 * limit through a real Redis on loopback; Redis killed mid-test gives the configured failure mode, and
 * everything works again once it is back.
 */
class SharedRateLimitTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private LocalRedis redis;
    private ServletTestServer first;
    private ServletTestServer second;

    /** Always fine. */
    static final class Ok extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.getWriter().write("ok");
        }
    }

    @BeforeEach
    void startRedis() {
        redis = LocalRedis.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        redis.close();
    }

    private ServletTestServer instance(String failureMode) throws Exception {
        Map<String, String> params = Map.of(
                UpstreamGuardFilter.ROUTE_ID, "api",
                "rate-limit.enabled", "true",
                "rate-limit.limit", "3",
                "rate-limit.window", "60s",
                "limits.backend", "redis",
                "limits.redis.uri", redis.uri(),
                "limits.redis.timeout", "2s",   // generous: a loaded CI machine must not fail the first connect
                "limits.redis.failure-mode", failureMode);
        return ServletTestServer.start(context -> {
            FilterHolder filter = new FilterHolder(UpstreamGuardFilter.class);
            params.forEach(filter::setInitParameter);
            context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new Ok()), "/*");
        });
    }

    private int status(ServletTestServer app) throws Exception {
        return client.send(HttpRequest.newBuilder(app.uri("/x")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @ParameterizedTest(name = "failure-mode={0}")
    @ValueSource(strings = {"allow", "deny"})
    void twoInstancesShareOneLimitAndRedisDownGivesTheConfiguredMode(String mode) throws Exception {
        first = instance(mode);
        second = instance(mode);

        assertThat(status(first)).isEqualTo(200);
        assertThat(status(second)).isEqualTo(200);
        assertThat(status(first)).isEqualTo(200);
        assertThat(status(second)).as("the fourth request of the window, whichever instance takes it").isEqualTo(429);
        assertThat(status(first)).isEqualTo(429);

        redis.kill();
        int expected = mode.equals("allow") ? 200 : 429;
        assertThat(status(first)).as("Redis down, fail %s", mode).isEqualTo(expected);
        assertThat(status(second)).as("Redis down, fail %s", mode).isEqualTo(expected);

        redis.restart();   // empty: the window starts again
        Instant deadline = Instant.now().plusSeconds(15);
        int recovered;
        do {
            recovered = status(first);
        } while (recovered != 200 && Instant.now().isBefore(deadline));
        assertThat(recovered).as("requests pass again").isEqualTo(200);
        // the limit is enforced by Redis again (in allow mode the 200s above prove nothing by themselves)
        int limited;
        do {
            limited = status(second);
        } while (limited == 200 && Instant.now().isBefore(deadline));
        assertThat(limited).as("back to the shared limit without restarting the application").isEqualTo(429);
    }
}
