package dev.upstreamguard.gateway;

import dev.upstreamguard.testkit.ClientDeviations;
import dev.upstreamguard.testkit.Deviations;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Outcome;
import dev.upstreamguard.testkit.Scenario;
import dev.upstreamguard.testkit.Scenarios;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conformance scenario list through two real gateways routing to the misbehaving upstream: ours
 * (the starter on) must answer every scenario as listed, except {@link Deviations#GATEWAY_STARTER}, which are
 * asserted as they really behave; the stock gateway (the starter off, same routes and timeouts) is run
 * alongside, and both columns are written to {@code target/conformance.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayConformanceTest extends GuardedGatewayTest {

    private static final Path REPORT = Path.of("target", "conformance.md");

    private ConfigurableApplicationContext stock;
    private final Map<String, String> guardedCells = new LinkedHashMap<>();
    private final Map<String, String> stockCells = new LinkedHashMap<>();

    @BeforeAll
    void startStockGateway() {
        Map<String, Object> properties = GatewayTestApp.commonProperties();
        properties.put("upstream-guard.enabled", "false");
        properties.put(GatewayTestApp.GW + "httpclient.response-timeout", Scenarios.RECOMMENDED_RESPONSE_TIMEOUT.toMillis() + "ms");
        properties.put("server.port", "0");
        stock = new SpringApplicationBuilder(GatewayTestApp.class).properties(properties).run();
    }

    @AfterAll
    void stopAndReport() throws IOException {
        stock.close();
        StringBuilder table = new StringBuilder()
                .append("| scenario | listed | stock Spring Cloud Gateway 5.0.4 | with upstream-guard starter |\n")
                .append("|---|---|---|---|\n");
        for (Scenario s : Scenarios.all()) {
            table.append("| ").append(s.name()).append(" | ").append(listed(s)).append(" | ")
                    .append(stockCells.getOrDefault(s.name(), "not run")).append(" | ")
                    .append(guardedCells.getOrDefault(s.name(), "not run")).append(" |\n");
        }
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, table.toString(), StandardCharsets.UTF_8);
    }

    private static String listed(Scenario s) {
        switch (s.outcome()) {
            case VERDICT:
                return s.expectedStatus() + " `" + s.expectedError() + "`";
            case TRUNCATED:
                return "truncated (`" + s.expectedError() + "` logged)";
            case PASSED_THROUGH:
                return s.expectedStatus() + " `received-status=" + s.expectedStatus() + "`";
            default:
                return "200, body byte for byte";
        }
    }

    Stream<Scenario> scenarios() {
        return Scenarios.all().stream().filter(s -> !Deviations.GATEWAY_STARTER.containsKey(s.name()));
    }

    Stream<Scenario> deviations() {
        return Scenarios.all().stream().filter(s -> Deviations.GATEWAY_STARTER.containsKey(s.name()));
    }

    Stream<Scenario> all() {
        return Scenarios.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void stockGateway(Scenario s) throws Exception {
        int port = Integer.parseInt(stock.getEnvironment().getProperty("local.server.port"));
        Observed o = Observed.of(port, s);
        stockCells.put(s.name(), o.summary());
        assertThat(o.proxyStatus()).as("the stock gateway sends no Proxy-Status").isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void answersEveryScenarioLikeTheListSays(Scenario s) throws Exception {
        Observed o = Observed.of(port(), s);
        guardedCells.put(s.name(), o.summary());
        if (s.outcome() == Outcome.TRUNCATED) {
            if (o.truncated()) {
                return;
            }
            // the fault surfaced before the head went out: the verdict is the right answer then
            assertThat(o.status()).as("%s reached the client complete", s.name()).isEqualTo(502);
            assertThat(o.proxyStatus()).startsWith("upstream-guard;error=" + s.expectedError());
            return;
        }
        assertThat(o.truncated()).as("%s: %s", s.name(), o.failure()).isFalse();
        assertThat(o.status()).as("status of %s", s.name()).isEqualTo(s.expectedStatus());
        switch (s.outcome()) {
            case VERDICT:
                assertThat(o.proxyStatus()).as("Proxy-Status of %s", s.name())
                        .startsWith("upstream-guard;error=" + s.expectedError());
                assertThat(o.contentType()).isEqualTo("application/problem+json");
                assertThat(o.bodyText()).contains("\"error\":\"" + s.expectedError() + "\"",
                        "\"status\":" + s.expectedStatus());
                if (s.expectedStatus() == 503) {
                    assertThat(o.retryAfter()).isNotNull();
                }
                break;
            case PASSED_THROUGH:
                assertThat(o.proxyStatus()).startsWith("upstream-guard;received-status=" + s.expectedStatus())
                        .doesNotContain("error=");
                break;
            case CONTROL:
                assertThat(o.proxyStatus()).isNull();
                assertThat(o.body()).isEqualTo(MisbehavingUpstream.controlBodyBytes());
                break;
            default:
                throw new AssertionError("unexpected outcome " + s.outcome());
        }
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true) // none at present
    @MethodSource("deviations")
    void deviationsBehaveAsDocumented(Scenario s) throws Exception {
        ClientDeviations.Deviation d = Deviations.GATEWAY_STARTER.get(s.name());
        Observed o = Observed.of(port(), s);
        guardedCells.put(s.name(), o.summary() + " (deviation)");
        assertThat(o.status()).as("%s: %s", s.name(), d.why()).isEqualTo(d.status());
        if (d.error() == null) {
            assertThat(o.proxyStatus()).isNull();
        } else {
            assertThat(o.proxyStatus()).startsWith("upstream-guard;error=" + d.error());
        }
    }

    @Test
    void theListHasNoStaleDeviation() {
        assertThat(Scenarios.all().stream().map(Scenario::name)).containsAll(Deviations.GATEWAY_STARTER.keySet());
    }
}
