package dev.upstreamguard.spring.boot.e2e;

import dev.upstreamguard.spring.boot.ServerObservations;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real embedded server on 127.0.0.1 with the starter and Actuator: a controller whose upstream refuses the
 * connection answers 502 with Proxy-Status and problem details, and the status endpoint and health contributor
 * report the failure. With an observation registry and a tracer, the failure is the server observation's error
 * and {@code error.type}, and the request id of the problem body is the trace id.
 */
@SpringBootTest(classes = {GuardedMvcApp.class, ServletStarterEndToEndTest.Observability.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "spring.main.banner-mode=off",
        "management.endpoints.web.exposure.include=health,upstreamguard",
        "management.endpoint.health.show-components=always", "management.endpoint.health.show-details=always"})
class ServletStarterEndToEndTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final MisbehavingUpstream UPSTREAM = MisbehavingUpstream.start();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry registry) {
        registry.add("test.upstream", () -> UPSTREAM.refusedUri().toString());
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRefusedUpstreamIs502WithProxyStatusAndTheStatusPageShowsIt() throws Exception {
        HttpResponse<String> r = get("/orders", "application/problem+json");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("proxy-status").orElseThrow()).startsWith("upstream-guard;error=connection_refused");
        assertThat(r.headers().firstValue("content-type").orElseThrow()).isEqualTo("application/problem+json");
        assertThat(r.body()).contains("\"error\":\"connection_refused\"", "\"status\":502");

        HttpResponse<String> json = get("/actuator/upstreamguard", "application/json");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
        assertThat(json.body()).contains("\"default\"", "connection_refused");

        HttpResponse<String> html = get("/actuator/upstreamguard", "text/html");
        assertThat(html.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
        assertThat(html.body()).containsIgnoringCase("<html");

        HttpResponse<String> health = get("/actuator/health/upstreamguard", "application/json");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"", "connection_refused");
    }

    @Autowired
    TestObservationRegistry observations;

    @Autowired
    SimpleTracer tracer;

    /** An observation registry whose server observations make spans with a simple tracer. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Observability {
        @Bean
        SimpleTracer simpleTracer() {
            return new SimpleTracer();
        }

        @Bean
        TestObservationRegistry testObservationRegistry(SimpleTracer tracer) {
            TestObservationRegistry registry = TestObservationRegistry.create();
            registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
            return registry;
        }
    }

    @Test
    void theAnsweredFailureIsTheServerObservationsErrorTypeAndTheRequestIdIsTheTraceId() throws Exception {
        HttpResponse<String> r = get("/orders", "application/problem+json");

        assertThat(r.statusCode()).isEqualTo(502);
        Matcher id = Pattern.compile("\"request_id\":\"([^\"]+)\"").matcher(r.body());
        assertThat(id.find()).as(r.body()).isTrue();
        // the server observation stops once the filter chain returned, which may be after the client read the answer
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> TestObservationRegistryAssert.assertThat(observations)
                .hasAnObservation(o -> o.hasNameEqualTo("http.server.requests")
                        .hasLowCardinalityKeyValue(ServerObservations.ERROR_TYPE, "connection_refused").hasError()));
        assertThat(get("/actuator/health", "application/json").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> TestObservationRegistryAssert.assertThat(observations)
                .hasAnObservation(o -> o.hasNameEqualTo("http.server.requests")
                        .hasLowCardinalityKeyValue(ServerObservations.ERROR_TYPE, "none")));
        SimpleSpan span = tracer.getSpans().stream().filter(s -> s.getTraceId().equals(id.group(1))).findFirst()
                .orElseThrow(() -> new AssertionError("no span with trace id " + id.group(1) + ": " + tracer.getSpans()));
        assertThat(span.getTraceId()).isNotBlank();
    }

    /** The tracer the starter reads the trace id from is the application's. */
    @Test
    void theStarterUsesTheApplicationsTracer(@Autowired Tracer bean, @Autowired ObservationRegistry registry) {
        assertThat(bean).isSameAs(tracer);
        assertThat(registry).isSameAs(observations);
    }
}
