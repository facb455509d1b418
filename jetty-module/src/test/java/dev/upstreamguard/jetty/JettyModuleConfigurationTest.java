package dev.upstreamguard.jetty;

import dev.upstreamguard.core.CidrSet;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.core.policy.Exposure;
import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JettyModuleConfigurationTest {

    private static final String ROUTES = "upstream-guard.routes";

    private static Map<String, String> props(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        map.put(ROUTES, "api=/api->http://127.0.0.1:8081");
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    @Test
    void every_module_property_reaches_the_proxy_and_core_keys_reach_the_policy() {
        GuardedProxyHandler handler = JettyModuleConfiguration.handler(Map.ofEntries(
                Map.entry(ROUTES, " api = /api -> http://127.0.0.1:8081 , https://127.0.0.1:8443/base ;"
                        + "static=/assets->http://127.0.0.1:9000!strip;root=/->http://127.0.0.1:9001"),
                Map.entry("upstream-guard.timeouts.resolve", "1s"),
                Map.entry("upstream-guard.timeouts.connect", "250ms"),
                Map.entry("upstream-guard.timeouts.tls", "PT3S"),
                Map.entry("upstream-guard.timeouts.response-head", "2s"),
                Map.entry("upstream-guard.timeouts.idle", "1m"),
                Map.entry("upstream-guard.timeouts.total", "5m"),
                Map.entry("upstream-guard.via-pseudonym", "edge-1"),
                Map.entry("upstream-guard.max-connections-per-upstream", "8"),
                Map.entry("upstream-guard.max-queued-per-upstream", "16"),
                Map.entry("upstream-guard.forwarded.trusted-proxies", "10.0.0.0/8, ::1"),
                Map.entry("upstream-guard.exposure.mode", "never"),
                Map.entry("upstream-guard.status.connection_timeout", "502"),
                Map.entry("other.key", "ignored")));

        ProxyConfig config = handler.config();
        assertThat(config.routes()).containsExactly(
                new Route("static", "/assets", List.of(URI.create("http://127.0.0.1:9000")), true),
                new Route("api", "/api", List.of(URI.create("http://127.0.0.1:8081"), URI.create("https://127.0.0.1:8443/base")), false),
                new Route("root", "/", List.of(URI.create("http://127.0.0.1:9001")), false));
        assertThat(config.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(1), Duration.ofMillis(250),
                Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofMinutes(5)));
        assertThat(config.viaPseudonym()).isEqualTo("edge-1");
        assertThat(config.maxConnectionsPerUpstream()).isEqualTo(8);
        assertThat(config.maxQueuedPerUpstream()).isEqualTo(16);
        assertThat(config.trustedProxies()).isEqualTo(CidrSet.parse("10.0.0.0/8,::1"));
        assertThat(handler.guard().policy().exposure().exposure()).isEqualTo(Exposure.NEVER);
        assertThat(handler.guard().policy().statusFor(ErrorType.CONNECTION_TIMEOUT)).isEqualTo(502);
    }

    @Test
    void unset_properties_take_the_documented_defaults() {
        ProxyConfig config = JettyModuleConfiguration.handler(props()).config();
        assertThat(config.timeouts()).isEqualTo(Timeouts.DEFAULTS);
        assertThat(config.viaPseudonym()).matches("upstream-guard-[0-9a-f]{8}");
        assertThat(config.maxConnectionsPerUpstream()).isEqualTo(ProxyConfig.DEFAULT_MAX_CONNECTIONS_PER_UPSTREAM);
        assertThat(config.maxQueuedPerUpstream()).isEqualTo(ProxyConfig.DEFAULT_MAX_QUEUED_PER_UPSTREAM);
        assertThat(config.trustedProxies().isEmpty()).as("no client's forwarded fields are trusted").isTrue();
        for (var info : JettyModuleConfiguration.properties()) {
            if (info.key().startsWith("timeouts.")) {
                assertThat(info.defaultValue()).as(info.key()).isIn("5s", "10s", "30s", "60s", "0");
            }
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "upstream-guard.timeouts.connect        | 0                 | a positive duration",
            "upstream-guard.timeouts.connect        | -5s               | a positive duration",
            "upstream-guard.timeouts.resolve        | five seconds      | a positive duration",
            "upstream-guard.timeouts.tls            | 5                 | a positive duration",
            "upstream-guard.timeouts.total          | soon              | 0 (none) or a positive duration",
            "upstream-guard.timeouts.idle           | 1s                | not below timeouts.response-head",
            "upstream-guard.via-pseudonym           | two words         | an HTTP token",
            "upstream-guard.max-connections-per-upstream | 0            | a whole number from 1 up",
            "upstream-guard.max-queued-per-upstream | many              | a whole number from 1 up",
            "upstream-guard.forwarded.trusted-proxies | proxy.example   | IPv4/IPv6 addresses or CIDR blocks (no host names) (invalid trusted address range",
            "upstream-guard.forwarded.trusted-proxies | 10.0.0.1/8      | bits are set after the /8 prefix",
            "upstream-guard.exposure.mode           | everyone          | one of never, trusted, always",
            "upstream-guard.timeouts.conect         | 1s                | no such property; known: upstream-guard.routes",
            "upstream-guard.status.made_up          | 502               | no such property",
            "upstream-guard.status.dns_error        | 200               | a status from 500 to 599",
    })
    void an_invalid_value_names_the_full_property_and_what_it_accepts(String property, String value, String accepted) {
        assertThatThrownBy(() -> JettyModuleConfiguration.handler(props(property, value)))
                .isInstanceOfSatisfying(ConfigurationException.class, ex -> {
                    assertThat(ex.property()).isEqualTo(property);
                    assertThat(ex.getMessage()).contains(property).contains(accepted);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "/api->http://127.0.0.1:8081",                        // no id
            "api=/api=>http://127.0.0.1:8081",                    // wrong arrow
            "api=api->http://127.0.0.1:8081",                     // prefix without '/'
            "api=/api/->http://127.0.0.1:8081",                   // trailing '/'
            "api=/api->",                                          // no upstream
            "api=/api->http://127.0.0.1:8081,",                   // empty upstream
            "api=/api->http://127.0.0.1:8081!rewrite",            // unknown flag
            "api=/api->ftp://127.0.0.1:21",                       // scheme
            "api=/api->http://127.0.0.1:8081/?q=1",               // query
            "api=/api->/relative",                                 // not absolute
            "api=/api->http://127.0.0.1:8081;;b=/b->http://127.0.0.1:1",   // empty route
            "api=/api->http://127.0.0.1:8081;api=/b->http://127.0.0.1:1",  // duplicate id
            "a=/x->http://127.0.0.1:8081;b=/x->http://127.0.0.1:1",        // duplicate prefix
    })
    void a_bad_routes_value_names_the_property_the_route_and_the_syntax(String routes) {
        assertThatThrownBy(() -> JettyModuleConfiguration.handler(props(ROUTES, routes)))
                .isInstanceOfSatisfying(ConfigurationException.class, ex -> {
                    assertThat(ex.property()).isEqualTo(ROUTES);
                    assertThat(ex.getMessage()).contains("id=/prefix->upstream");
                });
    }

    @Test
    void missing_routes_stop_the_start() {
        Map<String, String> none = props();
        none.remove(ROUTES);
        assertThatThrownBy(() -> JettyModuleConfiguration.handler(none))
                .isInstanceOfSatisfying(ConfigurationException.class, ex -> assertThat(ex.property()).isEqualTo(ROUTES));
    }

    @Test
    void a_password_in_a_bad_route_is_masked() {
        assertThatThrownBy(() -> JettyModuleConfiguration.handler(props(ROUTES, "api=/api->http://user:secret@127.0.0.1:1")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageNotContaining("secret");
    }

    @Test
    void a_misspelt_key_in_a_start_d_ini_file_stops_the_start(@TempDir Path base) throws Exception {
        Files.createDirectories(base.resolve("start.d"));
        Files.writeString(base.resolve("start.d/upstream-guard.ini"), String.join("\n",
                "--module=upstream-guard",
                "# upstream-guard.timeouts.typo-in-a-comment=1s",
                "upstream-guard.routes=api=/api->http://127.0.0.1:8081",
                "upstream-guard.timeouts.respone-head=1s"), StandardCharsets.UTF_8);
        JettyModuleConfiguration configuration = new JettyModuleConfiguration();
        configuration.set(ROUTES, "api=/api->http://127.0.0.1:8081");
        configuration.setJettyBase(base.toString());

        assertThatThrownBy(configuration::buildHandler)
                .isInstanceOfSatisfying(ConfigurationException.class, ex -> {
                    assertThat(ex.property()).isEqualTo("upstream-guard.timeouts.respone-head");
                    assertThat(ex.getMessage()).contains("upstream-guard.ini");
                });
    }

    @Test
    void null_values_are_skipped_as_jetty_passes_unset_properties() {
        JettyModuleConfiguration configuration = new JettyModuleConfiguration();
        configuration.set(ROUTES, "api=/api->http://127.0.0.1:8081");
        configuration.set("upstream-guard.timeouts.connect", null);
        configuration.setJettyBase(null);
        assertThat(configuration.buildHandler().proxy().config().timeouts()).isEqualTo(Timeouts.DEFAULTS);
    }

    @Test
    void the_inserted_wrapper_proxies_routes_and_passes_other_paths_on() throws Exception {
        try (MisbehavingUpstream upstream = MisbehavingUpstream.start()) {
            JettyModuleConfiguration configuration = new JettyModuleConfiguration();
            configuration.set(ROUTES, "faults=/fault->" + upstream.baseUri() + ";refused=/gone->"
                    + upstream.refusedUri().resolve("/") + "!strip");
            configuration.set("upstream-guard.timeouts.response-head", "500ms");
            configuration.set("upstream-guard.exposure.mode", "never");
            Handler next = new Handler.Abstract() {
                @Override
                public boolean handle(org.eclipse.jetty.server.Request request, Response response, Callback callback) {
                    response.setStatus(200);
                    response.write(true, StandardCharsets.UTF_8.encode("next handler"), callback);
                    return true;
                }
            };
            UpstreamGuardModuleHandler wrapper = configuration.buildHandler();
            wrapper.setHandler(next);
            try (ProxyServer proxy = ProxyServer.start(wrapper)) {
                RawHttp.Exchange ok = RawHttp.get(proxy.port(), Fault.CONTROL_OK.path(), 5000);
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.body()).isEqualTo(MisbehavingUpstream.CONTROL_BODY);

                RawHttp.Exchange refused = RawHttp.get(proxy.port(), "/gone/x", 5000);
                assertThat(refused.status()).isEqualTo(502);
                assertThat(refused.header("Proxy-Status")).isEqualTo("upstream-guard;error=connection_refused");

                RawHttp.Exchange stalled = RawHttp.get(proxy.port(), Fault.STALL.path(), 5000);
                assertThat(stalled.status()).isEqualTo(504);
                assertThat(stalled.header("Proxy-Status")).isEqualTo("upstream-guard;error=http_response_timeout");

                RawHttp.Exchange other = RawHttp.get(proxy.port(), "/elsewhere", 5000);
                assertThat(other.status()).isEqualTo(200);
                assertThat(other.body()).isEqualTo("next handler");
            }
        }
    }

    @Test
    void the_module_serves_the_status_page_to_trusted_clients_with_the_failures_it_saw() throws Exception {
        try (MisbehavingUpstream upstream = MisbehavingUpstream.start()) {
            JettyModuleConfiguration configuration = new JettyModuleConfiguration();
            configuration.set(ROUTES, "gone=/gone->" + upstream.refusedUri().resolve("/"));
            try (ProxyServer proxy = ProxyServer.start(configuration.buildHandler())) {
                assertThat(RawHttp.get(proxy.port(), "/gone/x", 5000).status()).isEqualTo(502);

                RawHttp.Exchange json = RawHttp.get(proxy.port(), "/upstream-guard/status.json", 5000);
                assertThat(json.status()).isEqualTo(200);
                assertThat(json.body()).contains("connection_refused", "gone-1");
                assertThat(RawHttp.get(proxy.port(), "/upstream-guard/status", 5000).body()).contains("<svg");
            }
        }
    }

    @Test
    void the_status_page_is_a_plain_404_for_untrusted_clients_and_can_be_switched_off() throws Exception {
        try (MisbehavingUpstream upstream = MisbehavingUpstream.start()) {
            JettyModuleConfiguration untrusted = new JettyModuleConfiguration();
            untrusted.set(ROUTES, "api=/api->" + upstream.baseUri());
            untrusted.set("upstream-guard.status-page.trusted-cidrs", "10.0.0.0/8");
            try (ProxyServer proxy = ProxyServer.start(untrusted.buildHandler())) {
                assertThat(RawHttp.get(proxy.port(), "/upstream-guard/status", 5000).status()).isEqualTo(404);
            }
            JettyModuleConfiguration off = new JettyModuleConfiguration();
            off.set(ROUTES, "api=/api->" + upstream.baseUri());
            off.set("upstream-guard.status-page.enabled", "false");
            assertThat(off.buildHandler().statusPage()).isNull();
            off.set("upstream-guard.status-page.enabled", "nope");
            assertThatThrownBy(off::buildHandler).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("upstream-guard.status-page.enabled");
        }
    }
}
