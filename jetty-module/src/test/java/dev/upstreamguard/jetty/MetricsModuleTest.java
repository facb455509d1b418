package dev.upstreamguard.jetty;

import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.jetty.metrics.MetricsHandler;
import dev.upstreamguard.jetty.metrics.MetricsModuleConfiguration;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Module upstream-guard-metrics as its XML assembles it, on a real Jetty server asked over loopback: the guard's
 * handler from {@link JettyModuleConfiguration}, then {@link MetricsModuleConfiguration#buildHandler} inserted
 * in front of it.
 */
class MetricsModuleTest {
    private static final String ROUTES = "upstream-guard.routes";

    private MisbehavingUpstream upstream;
    private Server server;
    private ServerConnector connector;

    @BeforeEach
    void upstream() throws Exception {
        upstream = MisbehavingUpstream.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        upstream.close();
    }

    @Test
    void one_refused_request_later_the_scrape_counts_it_beside_the_jvm_and_jetty_thread_pool_meters() throws Exception {
        MetricsHandler metrics = start(Map.of());

        assertThat(RawHttp.get(port(), "/gone/x", 5000).status()).isEqualTo(502);
        RawHttp.Exchange scrape = RawHttp.get(port(), "/upstream-guard/metrics", 5000);

        assertThat(metrics.path()).isEqualTo(JettyModuleConfiguration.DEFAULT_METRICS_PATH);
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(scrape.header("Cache-Control")).isEqualTo("no-store");
        assertThat(scrape.body())
                .containsPattern("(?m)^upstream_guard_failures_total\\{(?=[^}]*aborted=\"false\")(?=[^}]*error_type=\"connection_refused\")"
                        + "(?=[^}]*origin=\"proxy\")(?=[^}]*phase=\"connect\")(?=[^}]*route=\"gone\")(?=[^}]*status=\"502\")"
                        + "(?=[^}]*upstream=\"gone-1\")[^}]*\\} 1\\.0$")
                .containsPattern("(?m)^upstream_guard_proxy_status_dropped_total ")
                .containsPattern("(?m)^upstream_guard_attempt_duration_seconds_count\\{(?=[^}]*error_type=\"connection_refused\")"
                        + "(?=[^}]*outcome=\"failure\")(?=[^}]*route=\"gone\")(?=[^}]*upstream=\"gone-1\")[^}]*\\} 2$")
                .containsPattern("(?m)^upstream_guard_retry_backoff_seconds_count\\{route=\"gone\"\\} 1$")
                .containsPattern("(?m)^upstream_guard_requests_total\\{route=\"gone\"\\} 1\\.0$")
                .containsPattern("(?m)^upstream_guard_requests_in_flight\\{route=\"gone\"\\} [01]\\.0$")
                .containsPattern("(?m)^upstream_guard_retry_budget_remaining\\{route=\"gone\"\\} [0-9.]+$")
                .containsPattern("(?m)^upstream_guard_upstreams\\{route=\"gone\"\\} 1\\.0$")
                .containsPattern("(?m)^upstream_guard_upstreams_ejected\\{route=\"gone\"\\} 0\\.0$")
                .containsPattern("(?m)^upstream_guard_upstream_ejected\\{route=\"gone\",upstream=\"gone-1\"\\} 0\\.0$")
                .containsPattern("(?m)^upstream_guard_limit_backend_up\\{backend=\"memory\",mode=\"none\"\\} 1\\.0$")
                .containsPattern("(?m)^jvm_memory_used_bytes\\{")
                .containsPattern("(?m)^jvm_gc_")
                .containsPattern("(?m)^jvm_threads_live_threads ")
                .containsPattern("(?m)^jetty_threads_busy ")
                .containsPattern("(?m)^jetty_threads_config_max ");
    }

    @ParameterizedTest(name = "metrics.trusted-cidrs={0}, status-page.trusted-cidrs={1}: {2}")
    @CsvSource(nullValues = "unset", delimiter = '|', value = {
            "unset        | unset       | 200",
            "10.0.0.0/8   | unset       | 404",
            "unset        | 10.0.0.0/8  | 404",
            "127.0.0.1/32 | 10.0.0.0/8  | 200",
            "10.0.0.0/8   | 127.0.0.1   | 404",
    })
    void only_trusted_clients_see_the_scrape_by_default_those_of_the_status_page(String metricsTrusted,
            String statusTrusted, int status) throws Exception {
        Map<String, String> properties = new java.util.HashMap<>();
        if (metricsTrusted != null) {
            properties.put("upstream-guard.metrics.trusted-cidrs", metricsTrusted);
        }
        if (statusTrusted != null) {
            properties.put("upstream-guard.status-page.trusted-cidrs", statusTrusted);
        }
        start(properties);
        assertThat(RawHttp.get(port(), "/gone/x", 5000).status()).isEqualTo(502);

        RawHttp.Exchange scrape = RawHttp.get(port(), "/upstream-guard/metrics", 5000);

        assertThat(scrape.status()).isEqualTo(status);
        if (status == 404) {
            RawHttp.Exchange nothing = RawHttp.get(port(), "/upstream-guard/nothing-here", 5000);
            assertThat(scrape.header("Content-Type")).isEqualTo(nothing.header("Content-Type"));
            assertThat(scrape.body()).doesNotContain("upstream_guard", "jvm_");
        }
    }

    @Test
    void the_path_is_configurable_and_only_get_and_head_are_answered() throws Exception {
        start(Map.of("upstream-guard.metrics.path", "/ops/prometheus"));

        assertThat(RawHttp.get(port(), "/ops/prometheus", 5000).body()).contains("jvm_threads_live_threads");
        assertThat(RawHttp.get(port(), "/upstream-guard/metrics", 5000).status()).isEqualTo(404);
        HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port() + "/ops/prometheus")).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        HttpResponse<String> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port() + "/ops/prometheus")).timeout(Duration.ofSeconds(5))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "upstream-guard.metrics.path           | metrics      | an absolute path such as /upstream-guard/metrics",
            "upstream-guard.metrics.path           | /metrics/    | an absolute path such as /upstream-guard/metrics",
            "upstream-guard.metrics.path           | /a?b         | an absolute path such as /upstream-guard/metrics",
            "upstream-guard.metrics.trusted-cidrs  | everyone     | a comma-separated list of IPv4/IPv6 addresses or CIDR blocks",
            "upstream-guard.status-page.trusted-cidrs | 10.0.0.0/33 | a comma-separated list of IPv4/IPv6 addresses or CIDR blocks",
    })
    void an_invalid_value_fails_naming_the_property_the_value_and_what_is_accepted(String key, String value, String accepted) {
        MetricsModuleConfiguration configuration = new MetricsModuleConfiguration();
        configuration.set(key, value);
        UpstreamGuardModuleHandler guard = guardHandler(Map.of());

        assertThatThrownBy(() -> configuration.buildHandler(new Server(), guard)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'" + value + "'").hasMessageContaining("'" + key + "'").hasMessageContaining(accepted);
    }

    @Test
    void a_misspelt_metrics_key_in_the_base_stops_the_start_and_a_correct_one_does_not() throws Exception {
        java.nio.file.Path base = java.nio.file.Files.createTempDirectory("metrics-base");
        java.nio.file.Path startD = java.nio.file.Files.createDirectories(base.resolve("start.d"));
        java.nio.file.Path ini = startD.resolve("upstream-guard-metrics.ini");
        JettyModuleConfiguration configuration = new JettyModuleConfiguration();
        configuration.set(ROUTES, "api=/api->" + upstream.baseUri());
        configuration.setJettyBase(base.toString());

        java.nio.file.Files.writeString(ini, "upstream-guard.metrics.path=/m\nupstream-guard.metrics.trusted-cidrs=10.0.0.0/8\n");
        assertThat(configuration.buildHandler()).isNotNull();
        java.nio.file.Files.writeString(ini, "upstream-guard.metrics.pth=/m\n");
        assertThatThrownBy(configuration::buildHandler).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'upstream-guard.metrics.pth'").hasMessageContaining("upstream-guard.metrics.path");
    }

    @Test
    void listeners_are_added_before_start_to_the_module_built_handler_only() throws Exception {
        GuardListener listener = new GuardListener() {
        };
        UpstreamGuardModuleHandler embedded = new UpstreamGuardModuleHandler(guardHandler(Map.of()).proxy());
        assertThatThrownBy(() -> embedded.addListener(listener)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("UpstreamGuard.builder().addListener");

        start(Map.of());
        UpstreamGuardModuleHandler started = (UpstreamGuardModuleHandler) ((MetricsHandler) server.getHandler()).getHandler();
        assertThatThrownBy(() -> started.addListener(listener)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before the handler starts");
    }

    /** A listener method AddedListeners does not forward would silently drop that event for the metrics module. */
    @Test
    void added_listeners_forward_every_event_of_the_listener_interface() throws Exception {
        for (Method method : GuardListener.class.getMethods()) {
            if (!Modifier.isStatic(method.getModifiers())) {
                assertThat(AddedListeners.class.getDeclaredMethod(method.getName(), method.getParameterTypes()))
                        .as("AddedListeners overrides %s%s", method.getName(), Arrays.toString(method.getParameterTypes()))
                        .isNotNull();
            }
        }
    }

    private UpstreamGuardModuleHandler guardHandler(Map<String, String> properties) {
        JettyModuleConfiguration configuration = new JettyModuleConfiguration();
        configuration.set(ROUTES, "gone=/gone->" + upstream.refusedUri().resolve("/"));
        properties.forEach(configuration::set);
        return configuration.buildHandler();
    }

    /** What the two modules' XML do: the guard's handler inserted, then the metrics handler in front of it. */
    private MetricsHandler start(Map<String, String> properties) throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        UpstreamGuardModuleHandler guard = guardHandler(properties.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("upstream-guard.metrics."))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        server.insertHandler(guard);
        MetricsModuleConfiguration metrics = new MetricsModuleConfiguration();
        properties.forEach(metrics::set);
        MetricsHandler handler = metrics.buildHandler(server, guard);
        server.insertHandler(handler);
        server.start();
        return handler;
    }

    private int port() {
        return connector.getLocalPort();
    }
}
