package dev.upstreamguard.servlet;

import dev.upstreamguard.testkit.ClientDeviations;
import dev.upstreamguard.testkit.Deviations;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Outcome;
import dev.upstreamguard.testkit.Scenario;
import dev.upstreamguard.testkit.Scenarios;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conformance scenario list, end to end, for a servlet application behind the filter: a real client
 * calls a real Jetty with the filter and {@link RelayServlet}, which calls the misbehaving upstream with
 * the JDK HttpClient.
 */
class ServletFilterScenariosTest {
    /**
     * Where a servlet application calling with the JDK HttpClient cannot give the listed verdict (the client
     * normalises or misreads the bytes before the application, and so the guard, sees anything); asserted
     * as they really behave, so a JDK change shows up here. Everything else must match the list exactly.
     */
    static final Map<String, ClientDeviations.Deviation> JDK_CLIENT_DEVIATIONS = Deviations.SERVLET_FILTER_WITH_JDK_CLIENT;

    private static MisbehavingUpstream upstream;
    private static ServletTestServer app;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        upstream = MisbehavingUpstream.start();
        app = ServletTestServer.start(context -> {
            FilterHolder filter = new FilterHolder(UpstreamGuardFilter.class);
            filter.setInitParameter(UpstreamGuardFilter.ROUTE_ID, "relay");
            context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(RelayServlet.class, "/relay");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        upstream.close();
    }

    static Stream<Scenario> scenarios() {
        return Scenarios.all().stream().filter(s -> !JDK_CLIENT_DEVIATIONS.containsKey(s.name()));
    }

    static Stream<Scenario> deviations() {
        return Scenarios.all().stream().filter(s -> JDK_CLIENT_DEVIATIONS.containsKey(s.name()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deviations")
    void jdkClientDeviationsBehaveAsDocumented(Scenario s) throws Exception {
        ClientDeviations.Deviation d = JDK_CLIENT_DEVIATIONS.get(s.name());
        HttpResponse<byte[]> r = CLIENT.send(relay(s), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as("%s: %s", s.name(), d.why()).isEqualTo(d.status());
        if (d.error() == null) {
            assertThat(r.headers().firstValue("proxy-status")).isEmpty();
        } else {
            assertThat(r.headers().firstValue("proxy-status").orElseThrow()).startsWith("upstream-guard;error=" + d.error());
        }
    }

    private static HttpRequest relay(Scenario s) {
        String target = URLEncoder.encode(s.uri(upstream).toString(), StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(app.uri("/relay?target=" + target))
                .header("Accept", "application/problem+json")
                .timeout(Duration.ofSeconds(10)).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void answersEveryScenarioLikeTheListSays(Scenario s) throws Exception {
        if (s.outcome() == Outcome.TRUNCATED) {
            // after commit the client must see the truncation; if the fault surfaced before the head went out
            // (the JDK client may read the first chunk early), the verdict is the right answer instead
            HttpResponse<byte[]> r;
            try {
                r = CLIENT.send(relay(s), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException truncated) {
                return;
            }
            assertThat(r.statusCode()).as("%s reached the client complete", s.name()).isEqualTo(502);
            assertThat(r.headers().firstValue("proxy-status").orElseThrow())
                    .startsWith("upstream-guard;error=" + s.expectedError());
            return;
        }
        HttpResponse<byte[]> r = CLIENT.send(relay(s), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as("status of %s", s.name()).isEqualTo(s.expectedStatus());
        String proxyStatus = r.headers().firstValue("proxy-status").orElse(null);
        switch (s.outcome()) {
            case VERDICT:
                assertThat(proxyStatus).as("Proxy-Status of %s", s.name())
                        .startsWith("upstream-guard;error=" + s.expectedError());
                assertThat(r.headers().firstValue("content-type")).contains("application/problem+json");
                assertThat(new String(r.body(), StandardCharsets.UTF_8))
                        .contains("\"error\":\"" + s.expectedError() + "\"", "\"status\":" + s.expectedStatus());
                if (s.expectedStatus() == 503) {
                    assertThat(r.headers().firstValue("retry-after")).isPresent();
                }
                break;
            case PASSED_THROUGH:
                assertThat(proxyStatus).endsWith("upstream-guard;received-status=" + s.expectedStatus());
                break;
            case CONTROL:
                assertThat(proxyStatus).isNull();
                assertThat(r.body()).isEqualTo(MisbehavingUpstream.controlBodyBytes());
                break;
            default:
                throw new AssertionError("unexpected outcome " + s.outcome());
        }
    }
}
