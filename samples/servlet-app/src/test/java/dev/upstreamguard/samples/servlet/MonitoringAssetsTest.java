package dev.upstreamguard.samples.servlet;

import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.AttemptEvent;
import dev.upstreamguard.core.BackendFailureEvent;
import dev.upstreamguard.core.BackendFailureMode;
import dev.upstreamguard.core.CircuitEvent;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.Origin;
import dev.upstreamguard.core.OriginGuardAction;
import dev.upstreamguard.core.OriginHeaderEvent;
import dev.upstreamguard.core.PanicEvent;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.RetryEvent;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.lifecycle.RouteGuard;
import dev.upstreamguard.core.lifecycle.RouteGuards;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.ConcurrencyPolicy;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.micrometer.UpstreamGuardMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard and the Prometheus alert rules reference only metric and label names the code
 * really exports, and the README's Metrics table documents exactly those: the meters are registered in a
 * real Prometheus registry, fed one event of each kind, bound to a real route guard (for the gauges), and
 * scraped. The dashboard is parsed as JSON and every query checked.
 */
class MonitoringAssetsTest {
    private static final Pattern METRIC = Pattern.compile("(upstream_guard_[a-z_]+)(\\{([^}]*)\\})?");
    private static final Pattern MATCHER = Pattern.compile("([a-z_]+)\\s*(=~|!~|!=|=)");
    private static final Pattern BY = Pattern.compile("by \\(([^)]*)\\)");
    private static final Map<String, Set<String>> EXPORTED = new HashMap<>();
    /** Labels Prometheus adds to every scraped series (the target's), which dashboards and rules filter by. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

    @BeforeAll
    static void scrape() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        UpstreamGuardMetrics metrics = new UpstreamGuardMetrics(registry);
        metrics.onFailure(new FailureEvent("r", "u", UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT),
                502, Origin.PROXY, false, 1, 1, 0, "id"));
        metrics.onRetry(new RetryEvent("r", "u", 1, 2, RetryEvent.Outcome.SCHEDULED, "failure", 1, null, 502));
        metrics.onHealthChange(new HealthEvent("r", "u", HealthEvent.Kind.EJECTED, 5, 1000, 1));
        metrics.onAdmissionRejected(new AdmissionEvent("r", AdmissionEvent.Kind.RATE_LIMITED, 429, 1));
        metrics.onCircuitChange(new CircuitEvent("r", CircuitEvent.Kind.OPENED, 5, 1000));
        metrics.onPanicChange(new PanicEvent("r", PanicEvent.Kind.ENTERED, 1, 4));
        metrics.onBackendFailure(new BackendFailureEvent("redis", "try_consume", BackendFailureMode.ALLOW, null));
        metrics.onOriginHeaderViolation(new OriginHeaderEvent("r", OriginHeaderEvent.Kind.SECTION_OVER_BUDGET, null,
                9000, 4096, OriginGuardAction.WARN));
        metrics.onAttempt(new AttemptEvent("r", "r-1", 1, UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT),
                2_000_000));
        UpstreamGuard guard = UpstreamGuard.builder().logFailures(false).addListener(metrics)
                .policy(GuardPolicy.builder().concurrency(ConcurrencyPolicy.ofMaxConcurrent(5)).build()).build();
        RouteGuards routes = new RouteGuards();
        metrics.bindRoutes(routes);
        routes.get("r", "v1", () -> RouteGuard.builder("r", guard)
                .upstreams(List.of(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:2"))).build());
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
                "upstream_guard_limit_backend_failures_total", "upstream_guard_origin_header_violations_total",
                "upstream_guard_requests_total", "upstream_guard_requests_in_flight",
                "upstream_guard_concurrency_permits_in_use", "upstream_guard_concurrency_limit",
                "upstream_guard_retry_budget_remaining", "upstream_guard_upstreams", "upstream_guard_upstreams_ejected",
                "upstream_guard_upstream_ejected", "upstream_guard_limit_backend_up",
                "upstream_guard_attempt_duration_seconds_count", "upstream_guard_attempt_duration_seconds_sum",
                "upstream_guard_retry_backoff_seconds_sum");
    }

    /** The Prometheus names in the README's Metrics table (its rows start with a meter name in backticks). */
    private static Set<String> documented() throws Exception {
        String readme = Files.readString(Path.of("..", "..", "README.md"), StandardCharsets.UTF_8);
        int table = readme.indexOf("| meter (Prometheus) | type | tags | meaning |");
        assertThat(table).as("the README's Metrics table").isNotNegative();
        Set<String> names = new TreeSet<>();
        for (String row : readme.substring(table).split("\n")) {
            if (!row.startsWith("|")) {
                break;
            }
            String meter = row.split("\\|")[1];
            Matcher m = METRIC.matcher(meter);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** A name as documented: itself, or a timer's {@code _sum}/{@code _count}/{@code _max} of a documented base. */
    private static boolean isDocumented(Set<String> documented, String metric) {
        String base = metric.replaceFirst("_(sum|count|max)$", "");
        return documented.contains(metric) || documented.stream().anyMatch(d -> d.startsWith(base + "_"));
    }

    private static String read(String file) throws Exception {
        return Files.readString(Path.of("..", "monitoring", file), StandardCharsets.UTF_8);
    }

    private static void checkNames(String text, String what) throws Exception {
        Set<String> documented = documented();
        Matcher m = METRIC.matcher(text);
        int found = 0;
        while (m.find()) {
            found++;
            String metric = m.group(1);
            assertThat(EXPORTED).as("%s references %s", what, metric).containsKey(metric);
            assertThat(isDocumented(documented, metric)).as("%s references %s, which the README's table documents",
                    what, metric).isTrue();
            if (m.group(3) != null) {
                Matcher l = MATCHER.matcher(m.group(3));
                while (l.find()) {
                    if (!TARGET_LABELS.contains(l.group(1))) {
                        assertThat(EXPORTED.get(metric)).as("%s: label %s of %s", what, l.group(1), metric).contains(l.group(1));
                    }
                }
            }
        }
        assertThat(found).as("%s references metrics at all", what).isGreaterThan(3);
        Set<String> allLabels = new HashSet<>(TARGET_LABELS);
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
        JsonNode dashboard = JsonMapper.builder().build().readTree(read("grafana-dashboard.json"));
        assertThat(dashboard.path("uid").asString()).isEqualTo("upstream-guard");
        List<String> queries = new ArrayList<>();
        Set<String> variables = new HashSet<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            variables.add(variable.path("name").asString());
            if (variable.path("query").isObject()) {
                queries.add(variable.path("query").path("query").asString());
            }
        }
        assertThat(variables).contains("datasource", "instance", "route");
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets").size()).as("panel %s has queries", panel.path("title")).isPositive();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString();
                queries.add(expr);
                assertThat(expr).as("panel %s is filtered by the instance variable", panel.path("title"))
                        .contains("instance=~\"$instance\"");
                if (!expr.contains("limit_backend")) {
                    assertThat(expr).as("panel %s is filtered by the route variable", panel.path("title"))
                            .contains("route=~\"$route\"");
                }
            }
        }
        checkNames(String.join("\n", queries), "grafana-dashboard.json");
        String all = String.join("\n", queries);
        assertThat(all).as("a panel for each gauge").contains("upstream_guard_requests_in_flight",
                "upstream_guard_upstreams_ejected", "upstream_guard_upstream_ejected",
                "upstream_guard_concurrency_permits_in_use", "upstream_guard_retry_budget_remaining",
                "upstream_guard_limit_backend_up", "upstream_guard_attempt_duration_seconds",
                "upstream_guard_retry_backoff_seconds");
    }

    @Test
    void theReadmeTableDocumentsExactlyWhatIsExported() throws Exception {
        Set<String> documented = documented();
        assertThat(documented).isNotEmpty();
        for (String name : documented) {
            assertThat(EXPORTED).as("the README documents %s", name).containsKey(name);
        }
        for (String name : EXPORTED.keySet()) {
            assertThat(isDocumented(documented, name)).as("the README's table documents %s", name).isTrue();
        }
    }

    @Test
    void theAlertRulesUseExportedNames() throws Exception {
        String alerts = read("prometheus-alerts.yml");
        assertThat(alerts).contains("alert: UpstreamGuardGatewayErrorSpike", "status=~\"502|504\"");
        checkNames(alerts, "prometheus-alerts.yml");
    }
}
