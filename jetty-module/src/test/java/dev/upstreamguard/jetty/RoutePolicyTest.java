package dev.upstreamguard.jetty;

import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.core.policy.Exposure;
import dev.upstreamguard.core.policy.RetryCondition;
import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code upstream-guard.route-policy}: core keys for one route, bound on top of the global policy; a bad
 * entry, key or value stops the start naming the property and the entry.
 */
class RoutePolicyTest {
    private static final String PREFIX = JettyModuleConfiguration.PREFIX;

    private static Map<String, String> properties(String routes, String routePolicy, String... keyValues) {
        Map<String, String> map = new HashMap<>();
        map.put(PREFIX + "routes", routes);
        if (routePolicy != null) {
            map.put(PREFIX + "route-policy", routePolicy);
        }
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(PREFIX + keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static Route route(GuardedProxyHandler handler, String id) {
        return handler.config().routes().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aRouteChangesOnlyWhatItNamesOnTopOfTheGlobalPolicy() {
        GuardedProxyHandler handler = JettyModuleConfiguration.handler(properties(
                "api=/api->http://127.0.0.1:8081; v.2=/v2->http://127.0.0.1:8082; v=/v->http://127.0.0.1:8083",
                " api.retry.max-attempts = 3 ;; v.2.exposure.mode=always;",
                "exposure.mode", "never", "retry.max-attempts", "1"));

        Route api = route(handler, "api");
        assertThat(api.policy().retry().maxAttempts()).isEqualTo(3);
        assertThat(api.policy().exposure().exposure()).as("inherited").isEqualTo(Exposure.NEVER);
        assertThat(route(handler, "v.2").policy().exposure().exposure()).as("the longest id wins").isEqualTo(Exposure.ALWAYS);
        assertThat(route(handler, "v.2").policy().retry().maxAttempts()).isEqualTo(1);
        assertThat(route(handler, "v").policy()).as("no entries: the proxy's guard").isNull();
        assertThat(handler.guard().policy().retry().maxAttempts()).isEqualTo(1);
        assertThat(handler.upstreamPool("api")).isNotNull();
    }

    @Test
    void entriesCanBeAppendedOnePerLineWithJettysPlusEquals() {
        // upstream-guard.route-policy=api.retry.max-attempts=3 then upstream-guard.route-policy+=;api.retry.methods=GET
        GuardedProxyHandler handler = JettyModuleConfiguration.handler(properties("api=/api->http://127.0.0.1:8081",
                "api.retry.max-attempts=3;api.retry.conditions=connect-failure,reset"));

        assertThat(route(handler, "api").policy().retry().maxAttempts()).isEqualTo(3);
        assertThat(route(handler, "api").policy().retry().retryOn())
                .containsExactlyInAnyOrder(RetryCondition.CONNECT_FAILURE, RetryCondition.RESET);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "api.retry.max-attempts=many  | 'upstream-guard.route-policy: api.retry.max-attempts' | Invalid value 'many' for 'upstream-guard.route-policy: api.retry.max-attempts': accepted 1 (no retries) to 100",
            "api.retry.max-atempts=3      | 'upstream-guard.route-policy: api.retry.max-atempts'  | no such property",
            "web.retry.max-attempts=3     | 'upstream-guard.route-policy'                         | route ids: api",
            "api.retry.max-attempts       | 'upstream-guard.route-policy'                         | <route id>.<core key>=<value>",
            "api.limits.backend=redis     | 'upstream-guard.route-policy'                         | no limits.backend per route",
            "api.validation.obs-fold=replace-with-space | 'upstream-guard.route-policy'           | shares it between routes",
    })
    void aBadEntryStopsTheStartNamingThePropertyAndTheKey(String entry, String named, String reason) {
        assertThatThrownBy(() -> JettyModuleConfiguration.handler(properties("api=/api->http://127.0.0.1:8081", entry)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(named)
                .hasMessageContaining(reason);
    }

    @Test
    void aRouteWithResetRetriesSendsTheRequestTwiceTheOtherOnce() throws Exception {
        try (MisbehavingUpstream resetting = MisbehavingUpstream.start()) {
            URI base = resetting.baseUri();
            GuardedProxyHandler handler = JettyModuleConfiguration.handler(properties(
                    "retrying=/a->" + base + "," + base + "!strip; plain=/b->" + base + "," + base + "!strip",
                    "retrying.retry.conditions=connect-failure,reset", "health.enabled", "false"));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try (ProxyServer proxy = ProxyServer.start(handler)) {
                String path = Fault.RESET_BEFORE_RESPONSE.path();

                HttpResponse<String> retried = client.send(HttpRequest.newBuilder(proxy.uri("/a" + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

                assertThat(retried.statusCode()).isEqualTo(502);
                assertThat(resetting.requestCount(Fault.RESET_BEFORE_RESPONSE)).as("route with reset retries").isEqualTo(2);

                HttpResponse<String> once = client.send(HttpRequest.newBuilder(proxy.uri("/b" + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

                assertThat(once.statusCode()).isEqualTo(502);
                assertThat(resetting.requestCount(Fault.RESET_BEFORE_RESPONSE)).as("plus one for the other route").isEqualTo(3);
            }
        }
    }
}
