package dev.upstreamguard.gateway;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's answers inside Spring's own machinery, on a real gateway: a CORS configuration of the gateway
 * ({@code globalcors}) still applies to our error responses, and the gateway's client observations
 * ({@code http.client.requests}, one per upstream attempt) are all stopped with the error and our RFC 9209
 * error type, retries included, with a {@link TestObservationRegistry} as the application's registry.
 */
class SpringIntegrationTest {

    private static final String ORIGIN = "https://app.example";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static ConfigurableApplicationContext gateway;
    private static int port;

    /** The application's observation registry, and a record of every client observation's life. */
    @Configuration(proxyBeanMethods = false)
    static class Observed {
        static final TestObservationRegistry REGISTRY = TestObservationRegistry.create();
        static final io.micrometer.tracing.test.simple.SimpleTracer TRACER = new io.micrometer.tracing.test.simple.SimpleTracer();

        @Bean
        io.micrometer.tracing.Tracer tracer() {
            return TRACER;
        }
        static final List<Observation.Context> STARTED = new CopyOnWriteArrayList<>();
        static final List<Observation.Context> STOPPED = new CopyOnWriteArrayList<>();
        static final List<Observation.Context> SERVER_STOPPED = new CopyOnWriteArrayList<>();
        static final Map<Observation.Context, List<String>> SERVER_EVENTS = new java.util.concurrent.ConcurrentHashMap<>();

        @Bean
        ObservationRegistry observationRegistry() {
            REGISTRY.observationConfig().observationHandler(
                    new io.micrometer.tracing.handler.DefaultTracingObservationHandler(TRACER));
            REGISTRY.observationConfig().observationHandler(new ObservationHandler<>() {
                @Override
                public void onStart(Observation.Context context) {
                    if ("http.client.requests".equals(context.getName())) {
                        STARTED.add(context);
                    }
                }

                @Override
                public void onStop(Observation.Context context) {
                    if ("http.client.requests".equals(context.getName())) {
                        STOPPED.add(context);
                    } else if ("http.server.requests".equals(context.getName())) {
                        SERVER_STOPPED.add(context);
                    }
                }

                @Override
                public void onEvent(Observation.Event event, Observation.Context context) {
                    SERVER_EVENTS.computeIfAbsent(context, c -> new CopyOnWriteArrayList<>()).add(event.getName());
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            });
            return REGISTRY;
        }
    }

    @BeforeAll
    static void start() {
        Map<String, Object> p = new LinkedHashMap<>(GatewayTestApp.commonProperties());
        String cors = GatewayTestApp.GW + "globalcors.cors-configurations.[/**].";
        p.put(cors + "allowed-origins", ORIGIN);
        p.put(cors + "allowed-methods", "GET");
        p.put("upstream-guard.retry.max-attempts", 3);
        p.put("server.port", 0);
        gateway = new SpringApplicationBuilder(GatewayTestApp.class, Observed.class).properties(p).run();
        port = Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static HttpResponse<String> get(String path, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "application/problem+json").timeout(Duration.ofSeconds(10));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCorsRequestToARefusedRouteGetsOur502WithTheGatewaysCorsHeaders() throws Exception {
        HttpResponse<String> r = get("/refused", ORIGIN);

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("Proxy-Status")).get().asString().startsWith("upstream-guard;error=connection_refused");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
        assertThat(String.join(",", r.headers().allValues("Vary"))).contains("Origin");
        assertThat(r.body()).contains("\"error\":\"connection_refused\"");
    }

    @Test
    void everyClientObservationOfAFailedAttemptIsStoppedWithTheErrorAndItsType() throws Exception {
        int startedBefore = Observed.STARTED.size();
        int stoppedBefore = Observed.STOPPED.size();

        for (int i = 0; i < 4; i++) {
            assertThat(get("/refused", null).statusCode()).isEqualTo(502);
        }

        List<Observation.Context> started = Observed.STARTED.subList(startedBefore, Observed.STARTED.size());
        List<Observation.Context> stopped = Observed.STOPPED.subList(stoppedBefore, Observed.STOPPED.size());
        assertThat(started).as("4 requests, 3 attempts each").hasSize(12);
        assertThat(stopped).as("no observation stays active").containsExactlyInAnyOrderElementsOf(started);
        for (Observation.Context context : stopped) {
            assertThat(context.getError()).as("stopped with the error").isNotNull();
            assertThat(context.getLowCardinalityKeyValue(UpstreamGuardObservationConvention.ERROR_KEY).getValue())
                    .isEqualTo("connection_refused");
        }
    }

    @Test
    void theServerObservationOfAnAnsweredFailureHasItsErrorTypeErrorAndRetryEvents() throws Exception {
        String path = "/refused?server-observation";
        HttpResponse<String> answer = get(path, null);
        assertThat(answer.statusCode()).isEqualTo(502);

        Observation.Context server = stoppedServerObservation(path);
        io.micrometer.tracing.handler.TracingObservationHandler.TracingContext tracing =
                server.get(io.micrometer.tracing.handler.TracingObservationHandler.TracingContext.class);
        assertThat(answer.body()).as("the request id is the trace id")
                .contains("\"request_id\":\"" + tracing.getSpan().context().traceId() + "\"");
        assertThat(server.getLowCardinalityKeyValue(UpstreamGuardServerObservationConvention.ERROR_TYPE).getValue())
                .isEqualTo("connection_refused");
        assertThat(server.getError()).isNotNull();
        assertThat(Observed.SERVER_EVENTS.get(server)).as("3 attempts: 2 retries")
                .containsExactly("upstream.guard.retry.scheduled", "upstream.guard.retry.scheduled");

        String ok = dev.upstreamguard.testkit.Fault.CONTROL_OK.path() + "?server-observation";
        assertThat(get(ok, null).statusCode()).isEqualTo(200);
        assertThat(stoppedServerObservation(ok).getLowCardinalityKeyValue(
                UpstreamGuardServerObservationConvention.ERROR_TYPE).getValue()).isEqualTo("none");
    }

    /** The server observation of the request to {@code pathAndQuery}, once stopped (possibly after the client read the answer). */
    private static Observation.Context stoppedServerObservation(String pathAndQuery) {
        java.util.function.Supplier<java.util.Optional<Observation.Context>> find = () -> Observed.SERVER_STOPPED.stream()
                .filter(c -> c instanceof org.springframework.http.server.reactive.observation.ServerRequestObservationContext s
                        && pathAndQuery.equals(s.getCarrier().getURI().getRawPath() + "?" + s.getCarrier().getURI().getRawQuery()))
                .findFirst();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> find.get().isPresent());
        return find.get().orElseThrow();
    }

    @Test
    void aRelayedResponsesObservationIsStoppedByTheGatewayWithoutAnErrorType() throws Exception {
        int stoppedBefore = Observed.STOPPED.size();

        assertThat(get(dev.upstreamguard.testkit.Fault.CONTROL_OK.path(), null).statusCode()).isEqualTo(200);

        List<Observation.Context> stopped = Observed.STOPPED.subList(stoppedBefore, Observed.STOPPED.size());
        assertThat(stopped).hasSize(1);
        assertThat(stopped.get(0).getError()).isNull();
        assertThat(stopped.get(0).getLowCardinalityKeyValue(UpstreamGuardObservationConvention.ERROR_KEY).getValue())
                .isEqualTo("none");
    }
}
