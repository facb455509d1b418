package dev.upstreamguard.jetty;

import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Scenario;
import dev.upstreamguard.testkit.Scenarios;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the whole list through stock {@code ProxyHandler.Reverse} (connect timeout 500 ms and, as its only
 * stand-in for a head timeout, an idle timeout of 1 s) and through ours, and writes the side-by-side table
 * to {@code target/conformance.md}; the README carries a copy.
 */
class StockComparisonTest {

    @Test
    void writesTheSideBySideTable() throws Exception {
        List<String> rows = new ArrayList<>();
        try (MisbehavingUpstream upstream = MisbehavingUpstream.start()) {
            ScenarioRoutes routes = new ScenarioRoutes(upstream);
            ProxyHandler.Reverse stock = new ProxyHandler.Reverse(routes.stockRewriter()) {
                @Override
                protected void configureHttpClient(HttpClient client) {
                    super.configureHttpClient(client);
                    client.setConnectTimeout(ConformanceRun.TIMEOUTS.connect().toMillis());
                    client.setIdleTimeout(ConformanceRun.TIMEOUTS.responseHead().toMillis());
                }
            };
            UpstreamGuardProxy.Builder builder = UpstreamGuardProxy.builder().timeouts(ConformanceRun.TIMEOUTS)
                    .guard(GuardedProxyScenariosTest.GUARD);
            routes.routes().forEach(builder::route);
            try (ProxyServer stockServer = ProxyServer.start(stock); ProxyServer ours = ProxyServer.start(builder.build())) {
                for (Scenario s : Scenarios.all()) {
                    ConformanceRun.Seen before = ConformanceRun.run(stockServer.port(), s, upstream);
                    ConformanceRun.Seen after = ConformanceRun.run(ours.port(), s, upstream);
                    boolean deviation = GuardedProxyScenariosTest.JETTY_DEVIATIONS.containsKey(s.name());
                    String verdict = ConformanceRun.meetsExpectation(s, after, "upstream-guard") ? "yes"
                            : deviation ? "no, see deviations" : "NO";
                    rows.add("| " + s.name() + " | " + expected(s) + " | " + before.summary() + " | " + after.summary()
                            + (after.proxyStatus() == null ? "" : " `" + after.proxyStatus() + "`") + " | " + verdict + " |");
                }
            }
        }
        StringBuilder md = new StringBuilder()
                .append("| scenario | expected | stock `ProxyHandler.Reverse` | upstream-guard (+ `Proxy-Status`) | meets the list |\n")
                .append("|---|---|---|---|---|\n");
        rows.forEach(r -> md.append(r).append('\n'));
        md.append("\nDeviations:\n");
        GuardedProxyScenariosTest.JETTY_DEVIATIONS.forEach((name, d) -> md.append("- `").append(name).append("`: ")
                .append(d.why()).append('\n'));
        Path out = Path.of("target", "conformance.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md, StandardCharsets.UTF_8);
        assertThat(rows).hasSize(Scenarios.all().size());
        assertThat(md.toString()).doesNotContain("| NO |");
    }

    private static String expected(Scenario s) {
        return switch (s.outcome()) {
            case VERDICT -> s.expectedStatus() + " " + s.expectedError();
            case TRUNCATED -> "truncated (" + s.expectedError() + ")";
            case PASSED_THROUGH -> s.expectedStatus() + " passed through";
            case CONTROL -> "200 byte for byte";
        };
    }
}
