package dev.upstreamguard.core.diagnostics;

import dev.upstreamguard.status.MinuteCounts;
import dev.upstreamguard.status.RecentFailure;
import dev.upstreamguard.status.RouteStatus;
import dev.upstreamguard.status.StatusCounters;
import dev.upstreamguard.status.StatusRenderer;
import dev.upstreamguard.status.StatusReport;
import dev.upstreamguard.status.UpstreamStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The status report's JSON ({@link StatusRenderer#json}) read back by the strict parser of this package's
 * tests: lives here to share {@link StrictJson} and {@link NastyStrings}.
 */
class StatusReportJsonTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:14:30.250Z");
    private static final Instant MINUTE = Instant.parse("2026-11-25T10:14:00Z");

    static List<String> nastyStrings() {
        return NastyStrings.all();
    }

    @ParameterizedTest
    @MethodSource("nastyStrings")
    void anyTextRoundTripsAsAscii(String nasty) {
        StatusReport report = new StatusReport(NOW, ZoneOffset.UTC,
                List.of(new RouteStatus(nasty, List.of(new UpstreamStatus(nasty, false, 0, 0, 0)), true)),
                List.of(new MinuteCounts(MINUTE, Map.of(nasty, 1L), 0)),
                List.of(new RecentFailure(NOW, nasty, nasty, nasty, 502, nasty, nasty, false, 1, 1, nasty)),
                counters());

        String json = StatusRenderer.json(report);

        assertThat(json.chars().allMatch(c -> c >= 0x20 && c < 0x7F)).as("pure printable ASCII").isTrue();
        String expected = nasty.replaceAll("[\\x{D800}-\\x{DFFF}]", "\uFFFD");
        Map<String, Object> root = StrictJson.parseObject(json);
        Map<String, Object> route = object(list(root, "routes").get(0));
        assertThat(route.get("id")).isEqualTo(expected);
        assertThat(object(list(route, "upstreams").get(0)).get("id")).isEqualTo(expected);
        assertThat(object(object(list(root, "failures_by_minute").get(0)).get("errors"))).containsExactly(
                entry(expected, BigDecimal.ONE));
        Map<String, Object> failure = object(list(root, "recent_failures").get(0));
        for (String name : List.of("route", "upstream", "error", "phase", "origin", "log_phrase")) {
            assertThat(failure.get(name)).as(name).isEqualTo(expected);
        }
    }

    @Test
    void theDocumentHasTheDocumentedShape() {
        Map<String, Long> errors = new LinkedHashMap<>();
        errors.put("connection_refused", 3L);
        errors.put("http_response_timeout", 1L);
        StatusReport report = new StatusReport(NOW, ZoneOffset.UTC,
                List.of(new RouteStatus("orders", List.of(new UpstreamStatus("orders-a", true, 20_000, 0, 1)), true),
                        new RouteStatus("broken", List.of(), false)),
                List.of(new MinuteCounts(MINUTE.minusSeconds(60), Map.of(), 0), new MinuteCounts(MINUTE, errors, 2)),
                List.of(new RecentFailure(NOW, "orders", null, "upstream_5xx", 503, null, "upstream", false, 1, 2,
                        "upstream answered 503, passed through")),
                counters(), List.of(new dev.upstreamguard.status.RecentEvent(NOW, "orders", "ejected", "orders-a",
                        "5 consecutive failures, ejected for 20 s (ejection 1 in a row)")));

        Map<String, Object> root = StrictJson.parseObject(StatusRenderer.json(report));

        assertThat(root).containsOnlyKeys("generated_at", "window_minutes", "routes", "failures_by_minute",
                "recent_failures", "recent_events", "counters");
        assertThat(list(root, "recent_events")).containsExactly(Map.of("time", "2026-11-25T10:14:30.250Z",
                "route", "orders", "kind", "ejected", "upstream", "orders-a",
                "reason", "5 consecutive failures, ejected for 20 s (ejection 1 in a row)"));
        assertThat(root).contains(entry("generated_at", "2026-11-25T10:14:30.250Z"), entry("window_minutes", new BigDecimal(2)));
        assertThat(list(root, "routes")).containsExactly(
                Map.of("id", "orders", "health_known", true, "upstreams", List.of(Map.of("id", "orders-a", "state", "ejected",
                        "ejected_for_ms", new BigDecimal(20000), "consecutive_failures", BigDecimal.ZERO,
                        "ejection_count", BigDecimal.ONE))),
                Map.of("id", "broken", "health_known", false, "upstreams", List.of()));
        assertThat(list(root, "failures_by_minute")).containsExactly(
                Map.of("minute", "2026-11-25T10:13:00Z", "errors", Map.of(), "upstream_5xx", BigDecimal.ZERO,
                        "total", BigDecimal.ZERO),
                Map.of("minute", "2026-11-25T10:14:00Z", "errors", Map.of("connection_refused", new BigDecimal(3),
                        "http_response_timeout", BigDecimal.ONE), "upstream_5xx", new BigDecimal(2), "total", new BigDecimal(6)));
        Map<String, Object> failure = object(list(root, "recent_failures").get(0));
        assertThat(failure).containsExactly(entry("time", "2026-11-25T10:14:30.250Z"), entry("route", "orders"),
                entry("upstream", null), entry("error", "upstream_5xx"), entry("status", new BigDecimal(503)),
                entry("phase", null), entry("origin", "upstream"), entry("aborted", false), entry("attempt", BigDecimal.ONE),
                entry("max_attempts", new BigDecimal(2)), entry("log_phrase", "upstream answered 503, passed through"));
        Map<String, Object> counters = object(root.get("counters"));
        assertThat(counters.keySet()).startsWith("since").containsAll(report.counters().asMap().keySet())
                .hasSize(1 + report.counters().asMap().size());
        assertThat(counters).contains(entry("since", "2026-11-25T10:00:00Z"), entry("retries_denied_by_budget", new BigDecimal(7)));
    }

    private static StatusCounters counters() {
        return new StatusCounters(Instant.parse("2026-11-25T10:00:00Z"), 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                16, 17, 18);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> parent, String name) {
        return (List<Object>) parent.get(name);
    }
}
