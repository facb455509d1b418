package dev.upstreamguard.samples.servlet;

import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.BackendFailureEvent;
import dev.upstreamguard.core.BackendFailureMode;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.Origin;
import dev.upstreamguard.core.OriginGuardAction;
import dev.upstreamguard.core.OriginHeaderEvent;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.RetryEvent;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.micrometer.UpstreamGuardMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard and the Prometheus alert rules reference only metric and label names the code
 * really exports: the meters are registered in a real Prometheus registry, fed one event of each kind,
 * and scraped.
 */
class MonitoringAssetsTest {
    private static final Pattern METRIC = Pattern.compile("(upstream_guard_[a-z_]+)(\\{([^}]*)\\})?");
    private static final Pattern MATCHER = Pattern.compile("([a-z_]+)\\s*(=~|!~|!=|=)");
    private static final Pattern BY = Pattern.compile("by \\(([^)]*)\\)");
    private static final Map<String, Set<String>> EXPORTED = new HashMap<>();

    @BeforeAll
    static void scrape() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        UpstreamGuardMetrics metrics = new UpstreamGuardMetrics(registry);
        metrics.onFailure(new FailureEvent("r", "u", UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT),
                502, Origin.PROXY, false, 1, 1, 0, "id"));
        metrics.onRetry(new RetryEvent("r", "u", 1, 2, RetryEvent.Outcome.SCHEDULED, "failure", 1, null, 502));
        metrics.onHealthChange(new HealthEvent("r", "u", HealthEvent.Kind.EJECTED, 5, 1000, 1));
        metrics.onAdmissionRejected(new AdmissionEvent("r", AdmissionEvent.Kind.RATE_LIMITED, 429, 1));
        metrics.onBackendFailure(new BackendFailureEvent("redis", "try_consume", BackendFailureMode.ALLOW, null));
        metrics.onOriginHeaderViolation(new OriginHeaderEvent("r", OriginHeaderEvent.Kind.SECTION_OVER_BUDGET, null,
                9000, 4096, OriginGuardAction.WARN));
        for (String line : registry.scrape().split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher m = METRIC.matcher(line);
            if (m.lookingAt()) {
                Set<String> labels = EXPORTED.computeIfAbsent(m.group(1), k -> new HashSet<>());
                if (m.group(3) != null) {
                    Matcher l = MATCHER.matcher(m.group(3));
                    while (l.find()) {
                        labels.add(l.group(1));
                    }
                }
            }
        }
        assertThat(EXPORTED).as("what the registry exported").containsKeys(
                "upstream_guard_failures_total", "upstream_guard_retries_total",
                "upstream_guard_upstream_health_changes_total", "upstream_guard_admission_rejections_total",
                "upstream_guard_limit_backend_failures_total", "upstream_guard_origin_header_violations_total");
    }

    private static String read(String file) throws Exception {
        return Files.readString(Path.of("..", "monitoring", file), StandardCharsets.UTF_8);
    }

    private static void checkNames(String text, String what) {
        Matcher m = METRIC.matcher(text);
        int found = 0;
        while (m.find()) {
            found++;
            String metric = m.group(1);
            assertThat(EXPORTED).as("%s references %s", what, metric).containsKey(metric);
            if (m.group(3) != null) {
                Matcher l = MATCHER.matcher(m.group(3));
                while (l.find()) {
                    assertThat(EXPORTED.get(metric)).as("%s: label %s of %s", what, l.group(1), metric).contains(l.group(1));
                }
            }
        }
        assertThat(found).as("%s references metrics at all", what).isGreaterThan(3);
        Set<String> allLabels = new HashSet<>();
        EXPORTED.values().forEach(allLabels::addAll);
        Matcher by = BY.matcher(text);
        while (by.find()) {
            for (String label : by.group(1).split(",")) {
                assertThat(allLabels).as("%s groups by %s", what, label.trim()).contains(label.trim());
            }
        }
    }

    @Test
    void theGrafanaDashboardUsesExportedNames() throws Exception {
        String dashboard = read("grafana-dashboard.json");
        assertThat(dashboard).contains("\"uid\": \"upstream-guard\"");
        checkNames(dashboard, "grafana-dashboard.json");
    }

    @Test
    void theAlertRulesUseExportedNames() throws Exception {
        String alerts = read("prometheus-alerts.yml");
        assertThat(alerts).contains("alert: UpstreamGuardGatewayErrorSpike", "status=~\"502|504\"");
        checkNames(alerts, "prometheus-alerts.yml");
    }
}
