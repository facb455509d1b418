package dev.upstreamguard.jetty;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.PolicyBinder;
import dev.upstreamguard.testkit.ClientDeviations.Deviation;
import dev.upstreamguard.testkit.Deviations;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Outcome;
import dev.upstreamguard.testkit.Scenario;
import dev.upstreamguard.testkit.Scenarios;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole conformance list through the guarded proxy embedded in a real Jetty server: every scenario
 * gets its status and {@code Proxy-Status} error token, truncations are seen on the raw socket, and the
 * control response arrives byte for byte.
 */
class GuardedProxyScenariosTest {
    /**
     * Scenarios the Jetty proxy cannot answer as listed, with the reason (kept in the test kit, which the
     * demo reads too); asserted as they really behave so a change shows up.
     */
    static final Map<String, Deviation> JETTY_DEVIATIONS = Deviations.JETTY_MODULE;

    /**
     * Exposure never: what any untrusted client gets, so nothing may name a host, a path or an address.
     * Everything else is the defaults: a request that never reached the upstream is retried (so those
     * verdicts must describe the last attempt), and passive health stays on — every fault scenario shares
     * the route's only upstream, which passive health never ejects.
     */
    static final UpstreamGuard GUARD = UpstreamGuard.builder()
            .policy(PolicyBinder.bind(Map.of("upstream-guard.exposure.mode", "never"), "upstream-guard.", k -> false))
            .build();

    private static MisbehavingUpstream upstream;
    private static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = MisbehavingUpstream.start();
        UpstreamGuardProxy.Builder builder = UpstreamGuardProxy.builder().timeouts(ConformanceRun.TIMEOUTS)
                .guard(GUARD);
        new ScenarioRoutes(upstream).routes().forEach(builder::route);
        proxy = ProxyServer.start(builder.build());
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    static Stream<Scenario> scenarios() {
        return Scenarios.all().stream().filter(s -> !JETTY_DEVIATIONS.containsKey(s.name()));
    }

    static Stream<Scenario> deviations() {
        return Scenarios.all().stream().filter(s -> JETTY_DEVIATIONS.containsKey(s.name()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deviations")
    void deviationsBehaveAsDocumented(Scenario s) throws Exception {
        Deviation d = JETTY_DEVIATIONS.get(s.name());
        ConformanceRun.Seen seen = ConformanceRun.run(proxy.port(), s, upstream);
        assertThat(seen.status()).as(d.why()).isEqualTo(d.status());
        if (d.error() == null) {
            assertThat(seen.proxyStatus()).isNull();
        } else {
            assertThat(seen.proxyStatus()).startsWith("upstream-guard;error=" + d.error());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void answersLikeTheListSays(Scenario s) throws Exception {
        ConformanceRun.Seen seen = ConformanceRun.run(proxy.port(), s, upstream);
        assertThat(ConformanceRun.meetsExpectation(s, seen, "upstream-guard"))
                .as("%s: expected %s %s %s, client saw %s with Proxy-Status %s%n%s", s.name(), s.outcome(),
                        s.expectedStatus(), s.expectedError(), seen.summary(), seen.proxyStatus(), seen.raw().head())
                .isTrue();
        if (s.outcome() == Outcome.VERDICT) {
            assertThat(seen.raw().header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(seen.raw().body()).contains("\"error\":\"" + s.expectedError() + "\"")
                    .doesNotContain("Jetty", "/fault", "127.0.0.1", ".invalid");
        }
        if (s.outcome() == Outcome.CONTROL) {
            assertThat(seen.raw().body().getBytes(StandardCharsets.ISO_8859_1))
                    .isEqualTo(MisbehavingUpstream.controlBodyBytes());
        }
        assertThat(seen.raw().text()).doesNotContain("smuggled");
    }

    @org.junit.jupiter.api.Test
    void everyScenarioIsRunOrListedAsADeviation() {
        assertThat(scenarios().count() + deviations().count()).isEqualTo(Scenarios.all().size());
        assertThat(Scenarios.all().stream().map(Scenario::name).toList()).containsAll(JETTY_DEVIATIONS.keySet());
    }
}
