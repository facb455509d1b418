package dev.upstreamguard.core.policy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins what {@link PolicyBinder} offers and answers, byte for byte: the documented properties in their
 * documentation order (generated tables depend on it), and the rejection of a set of bad inputs — one per
 * property, the cross-field ones and the masking of a Redis password. The expected text is recorded in
 * {@code policy-binder-properties.tsv} and {@code policy-binder-rejections.tsv}; a change to either is a change
 * of what operators see.
 */
class PolicyBinderCharacterizationTest {
    private static final String PREFIX = "upstream-guard.";

    @Test
    void thePropertiesAndTheirOrderAreUnchanged() throws IOException {
        assertThat(propertiesText()).isEqualTo(resource("policy-binder-properties.tsv"));
    }

    @Test
    void theRejectionsAreUnchanged() throws IOException {
        assertThat(rejectionsText()).isEqualTo(resource("policy-binder-rejections.tsv"));
    }

    static String propertiesText() {
        StringBuilder out = new StringBuilder();
        for (PolicyBinder.PropertyInfo p : PolicyBinder.properties()) {
            out.append(p.key()).append('\t').append(p.defaultValue()).append('\t').append(p.accepted()).append('\t')
                    .append(p.description()).append('\n');
        }
        return out.toString();
    }

    static String rejectionsText() {
        StringBuilder out = new StringBuilder();
        for (Case c : cases()) {
            out.append(c.name).append('\t');
            try {
                GuardPolicy base = c.base == null ? GuardPolicy.defaults() : PolicyBinder.bind(c.base);
                Map<String, String> prefixed = new HashMap<>();
                c.properties.forEach((k, v) -> prefixed.put(c.prefix + k, v));
                PolicyBinder.bind(base, prefixed, c.prefix, k -> k.startsWith("routes."));
                out.append("accepted");
            } catch (ConfigurationException e) {
                out.append(e.property()).append('\t').append(e.value()).append('\t').append(e.getMessage());
            }
            out.append('\n');
        }
        return out.toString();
    }

    private record Case(String name, Map<String, String> base, String prefix, Map<String, String> properties) {
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String[][] single = {
                {"proxy-status.member-name", "9lives"}, {"proxy-status.member-name", "edge 1"},
                {"exposure.mode", "sometimes"}, {"exposure.mode", " "}, {"exposure.trusted-cidrs", "10.0.0.0/33"},
                {"exposure.trusted-cidrs", "10.0.0.1/8"}, {"exposure.trusted-cidrs", "intranet.example"},
                {"exposure.trusted-cidrs", "::1/129"}, {"exposure.trusted-cidrs", "10.0.0.0/8,,::1"},
                {"validation.max-header-size", "8"}, {"validation.max-header-size", "big"},
                {"validation.max-header-size", "0"}, {"validation.max-header-size", "64k"},
                {"validation.max-header-size", "3g"}, {"validation.max-header-section-size", "16"},
                {"validation.max-header-section-size", "2m"}, {"validation.max-header-count", "20000"},
                {"validation.max-header-count", "-3"}, {"validation.max-header-count", "0"},
                {"validation.obs-fold", "unfold"}, {"validation.content-length-with-transfer-encoding", "ignore"},
                {"problem-details.enabled", "yes"}, {"problem-details.type-base", "not a uri"},
                {"problem-details.type-base", "relative/"}, {"request-id.header", "X Trace"},
                {"retry-after.default", "2d"}, {"retry-after.default", "soon"}, {"retry-after.default", "0s"},
                {"origin-guard.enabled", "maybe"}, {"origin-guard.header-budget", "12"},
                {"origin-guard.header-budget", "255"}, {"origin-guard.action", "panic"},
                {"concurrency.max-concurrent", "-1"}, {"concurrency.max-concurrent", "many"},
                {"concurrency.min-retry-after", "2d"}, {"concurrency.min-retry-after", "500ms"},
                {"concurrency.min-retry-after", "60s"}, {"concurrency.max-retry-after", "10d"},
                {"rate-limit.enabled", "on"}, {"rate-limit.name", "Default"}, {"rate-limit.limit", "0"},
                {"rate-limit.limit", "1000000001"}, {"rate-limit.window", "1500ms"}, {"rate-limit.window", "2d"},
                {"rate-limit.burst", "-5"}, {"rate-limit.key", "cookie"}, {"rate-limit.key-header", "X Client"},
                {"rate-limit.key-header", "X-Client"}, {"rate-limit.ipv6-prefix-length", "129"},
                {"rate-limit.ipv6-prefix-length", "0"}, {"retry.max-attempts", "0"}, {"retry.max-attempts", "101"},
                {"retry.methods", "GET,POST"}, {"retry.methods", "GET,,HEAD"}, {"retry.methods", "GET,B@D"},
                {"retry.statuses", "502,200"}, {"retry.statuses", "502,abc"}, {"retry.per-try-timeout", "0ms"},
                {"retry.per-try-timeout", "2d"}, {"retry.conditions", "connect-failure,sometimes"},
                {"retry.deadline", "2d"}, {"retry.deadline", "0"}, {"retry.backoff-base", "1s"},
                {"retry.backoff-cap", "2d"}, {"retry.retry-after-cap", "2d"}, {"retry.max-replayable-body", "1g"},
                {"retry.max-replayable-body", "17m"}, {"retry.budget-ratio", "1.5"}, {"retry.budget-ratio", "NaN"},
                {"retry.budget-min-per-second", "-1"}, {"health.enabled", "sometimes"},
                {"health.consecutive-failures", "0"}, {"health.consecutive-failures", "1001"},
                {"health.base-ejection", "0"}, {"health.base-ejection", "soon"}, {"health.base-ejection", "10m"},
                {"health.max-ejection", "2d"}, {"health.max-ejection", "10s"}, {"health.max-ejected-percent", "101"},
                {"health.count-upstream-5xx", "maybe"}, {"health.panic-threshold", "101"},
                {"limits.backend", "etcd"}, {"limits.backend", "redis"}, {"limits.redis.uri", "http://cache:6379"},
                {"limits.redis.uri", "http://admin:s3cret@cache:6379"},
                {"limits.redis.uri", "redis://user:pa/ss@localhost:99999"}, {"limits.redis.uri", "redis://localhost:0"},
                {"limits.redis.uri", "redis:///0"}, {"limits.redis.uri", "redis://cache:6379 x"},
                {"limits.redis.uri", "redis://:secret@cache:123456789012/0"},
                {"limits.redis.key-prefix", "has space"}, {"limits.redis.timeout", "2m"},
                {"limits.redis.timeout", "0"}, {"limits.redis.failure-mode", "maybe"},
                {"status.connection_timeout", "200"}, {"status.connection_timeout", "abc"},
                {"status.http_request_error", "302"}, {"status.http_request_denied", "600"},
                {"status.no_such_error", "502"}, {"validaton.max-header-size", "8k"}, {"routes.a.uri", "ignored"},
        };
        for (String[] s : single) {
            cases.add(new Case(s[0] + "=" + s[1], null, PREFIX, Map.of(s[0], s[1])));
        }
        Map<String, String> missing = new HashMap<>();
        missing.put("retry.deadline", null);
        cases.add(new Case("retry.deadline missing", null, PREFIX, missing));
        cases.add(new Case("no prefix", null, "", Map.of("health.max-ejection", "10s")));
        cross(cases, "validation section below field", "validation.max-header-size", "16k",
                "validation.max-header-section-size", "8k");
        cross(cases, "concurrency min above max", "concurrency.min-retry-after", "10s",
                "concurrency.max-retry-after", "5s");
        cross(cases, "health max below base", "health.base-ejection", "30s", "health.max-ejection", "10s");
        cross(cases, "retry per-try above deadline", "retry.per-try-timeout", "10s", "retry.deadline", "5s");
        cross(cases, "retry base above cap", "retry.backoff-base", "500ms", "retry.backoff-cap", "100ms");
        cross(cases, "rate-limit header key without header", "rate-limit.enabled", "true", "rate-limit.key", "header");
        cross(cases, "rate-limit header without header key", "rate-limit.key", "address",
                "rate-limit.key-header", "X-Client");
        cross(cases, "redis without failure mode", "limits.backend", "redis", "limits.redis.uri", "redis://r:6379");
        cross(cases, "redis without uri", "limits.backend", "redis", "limits.redis.failure-mode", "allow");
        cross(cases, "redis bad timeout", "limits.backend", "redis", "limits.redis.uri", "redis://r:6379",
                "limits.redis.failure-mode", "deny", "limits.redis.timeout", "2m");
        cases.add(new Case("route base-ejection above the global max", Map.of("health.max-ejection", "1m"), "r.",
                Map.of("health.base-ejection", "2m")));
        cases.add(new Case("route key-header over a header key", Map.of("rate-limit.enabled", "true",
                "rate-limit.key", "header", "rate-limit.key-header", "X-Key"), "r.", Map.of("rate-limit.key", "address")));
        cases.add(new Case("route deadline below the global per-try timeout", Map.of("retry.per-try-timeout", "5s"), "r.",
                Map.of("retry.deadline", "2s")));
        cases.add(new Case("route concurrency max below the global min", Map.of("concurrency.min-retry-after", "20s"),
                "r.", Map.of("concurrency.max-retry-after", "10s")));
        cases.add(new Case("route redis over a redis base", Map.of("limits.backend", "redis",
                "limits.redis.uri", "redis://r:6379", "limits.redis.failure-mode", "deny"), "r.",
                Map.of("limits.redis.timeout", "0")));
        return cases;
    }

    private static void cross(List<Case> cases, String name, String... keyValues) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        cases.add(new Case(name, null, PREFIX, properties));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PolicyBinderCharacterizationTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
