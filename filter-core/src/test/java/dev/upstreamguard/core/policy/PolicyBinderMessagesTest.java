package dev.upstreamguard.core.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every rejection names the property at fault, the value as written, what is accepted and why. */
class PolicyBinderMessagesTest {
    private static final String PREFIX = "upstream-guard.";

    /** One bad value per property; a new property needs one here. */
    private static final Map<String, String> BAD = new LinkedHashMap<>();

    static {
        BAD.put("proxy-status.member-name", "9lives");
        BAD.put("exposure.mode", "sometimes");
        BAD.put("exposure.trusted-cidrs", "10.0.0.0/33");
        BAD.put("validation.max-header-size", "8");
        BAD.put("validation.max-header-section-size", "16");
        BAD.put("validation.max-header-count", "20000");
        BAD.put("validation.obs-fold", "unfold");
        BAD.put("validation.content-length-with-transfer-encoding", "ignore");
        BAD.put("problem-details.enabled", "yes");
        BAD.put("problem-details.type-base", "not a uri");
        BAD.put("request-id.header", "X Trace");
        BAD.put("retry-after.default", "2d");
        BAD.put("origin-guard.enabled", "maybe");
        BAD.put("origin-guard.header-budget", "12");
        BAD.put("origin-guard.action", "panic");
        BAD.put("concurrency.max-concurrent", "-1");
        BAD.put("concurrency.min-retry-after", "2d");
        BAD.put("concurrency.max-retry-after", "10d");
        BAD.put("rate-limit.enabled", "on");
        BAD.put("rate-limit.name", "Default");
        BAD.put("rate-limit.limit", "0");
        BAD.put("rate-limit.window", "1500ms");
        BAD.put("rate-limit.burst", "-5");
        BAD.put("rate-limit.key", "cookie");
        BAD.put("rate-limit.key-header", "X Client");
        BAD.put("rate-limit.ipv6-prefix-length", "129");
        BAD.put("retry.max-attempts", "0");
        BAD.put("retry.methods", "GET,POST");
        BAD.put("retry.statuses", "502,200");
        BAD.put("retry.per-try-timeout", "0ms");
        BAD.put("retry.conditions", "connect-failure,sometimes");
        BAD.put("retry.deadline", "2d");
        BAD.put("retry.backoff-base", "1s");
        BAD.put("retry.backoff-cap", "2d");
        BAD.put("retry.retry-after-cap", "2d");
        BAD.put("retry.max-replayable-body", "1g");
        BAD.put("retry.budget-ratio", "1.5");
        BAD.put("retry.budget-min-per-second", "-1");
        BAD.put("health.enabled", "sometimes");
        BAD.put("health.consecutive-failures", "0");
        BAD.put("health.base-ejection", "0");
        BAD.put("health.max-ejection", "2d");
        BAD.put("health.max-ejected-percent", "101");
        BAD.put("health.count-upstream-5xx", "maybe");
        BAD.put("health.panic-threshold", "101");
        BAD.put("limits.backend", "etcd");
        BAD.put("limits.redis.uri", "redis://localhost:99999");
        BAD.put("limits.redis.key-prefix", "has space");
        BAD.put("limits.redis.timeout", "2m");
        BAD.put("limits.redis.failure-mode", "maybe");
        BAD.put("circuit-breaker.enabled", "on");
        BAD.put("circuit-breaker.failure-threshold", "0");
        BAD.put("circuit-breaker.open-duration", "2d");
        BAD.put("circuit-breaker.half-open-probes", "0");
        BAD.put("status.<error-type>", "200");
    }

    static Stream<PolicyBinder.PropertyInfo> properties() {
        return PolicyBinder.properties().stream();
    }

    private static void assertRejected(Map<String, String> properties, String key, String value, String... also) {
        Map<String, String> prefixed = new HashMap<>();
        properties.forEach((k, v) -> prefixed.put(PREFIX + k, v));
        assertThatThrownBy(() -> PolicyBinder.bind(prefixed, PREFIX, k -> false))
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> {
                    ConfigurationException c = (ConfigurationException) e;
                    assertThat(c.property()).isEqualTo(PREFIX + key);
                    assertThat(c.getMessage()).contains("'" + PREFIX + key + "'").contains("'" + value + "'")
                            .contains("accepted " + PolicyBinder.properties().stream()
                                    .filter(p -> p.key().equals(key)).findFirst().map(p -> p.accepted()).orElse(""));
                    for (String part : also) {
                        assertThat(c.getMessage()).contains(part);
                    }
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("properties")
    void aBadValueOfEveryPropertyNamesThatPropertyAndThatValue(PolicyBinder.PropertyInfo info) {
        assertThat(BAD).as("a bad value for %s in this table", info.key()).containsKey(info.key());
        String key = info.key().equals("status.<error-type>") ? "status.connection_timeout" : info.key();
        String value = BAD.get(info.key());
        Map<String, String> properties = new HashMap<>(Map.of(key, value));
        if (key.startsWith("limits.redis.")) {
            properties.put("limits.backend", "redis");
            properties.putIfAbsent("limits.redis.uri", "redis://127.0.0.1:6379");
            properties.putIfAbsent("limits.redis.failure-mode", "deny");
        }
        Map<String, String> prefixed = new HashMap<>();
        properties.forEach((k, v) -> prefixed.put(PREFIX + k, v));
        assertThatThrownBy(() -> PolicyBinder.bind(prefixed, PREFIX, k -> false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'" + PREFIX + key + "'")
                .hasMessageContaining("'" + value + "'")
                .hasMessageContaining("accepted ")
                .satisfies(e -> assertThat(((ConfigurationException) e).property()).isEqualTo(PREFIX + key));
    }

    @Test
    void headerSizesAreNamedNotValidationStar() {
        assertRejected(Map.of("validation.max-header-size", "64k"), "validation.max-header-size", "64k",
                "upstream-guard.validation.max-header-section-size must be between 65536");
        assertRejected(Map.of("validation.max-header-size", "16k", "validation.max-header-section-size", "8k"),
                "validation.max-header-section-size", "8k");
        assertRejected(Map.of("validation.max-header-size", "8"), "validation.max-header-size", "8",
                "upstream-guard.validation.max-header-size must be between 16 and 1048576, was 8");
    }

    @Test
    void aBadMinimumRetryAfterIsBlamedOnTheMinimum() {
        assertRejected(Map.of("concurrency.min-retry-after", "2d"), "concurrency.min-retry-after", "2d");
        assertRejected(Map.of("concurrency.min-retry-after", "60s"), "concurrency.min-retry-after", "60s",
                "upstream-guard.concurrency.max-retry-after must be between 60 s");
    }

    @Test
    void aBadBaseEjectionIsBlamedOnTheBaseWithItsValue() {
        assertRejected(Map.of("health.base-ejection", "0"), "health.base-ejection", "0");
        assertRejected(Map.of("health.base-ejection", "10m"), "health.base-ejection", "10m",
                "upstream-guard.health.max-ejection must be at least upstream-guard.health.base-ejection");
    }

    @Test
    void theCidrReasonIsKept() {
        assertRejected(Map.of("exposure.trusted-cidrs", "10.0.0.0/33"), "exposure.trusted-cidrs", "10.0.0.0/33",
                "the prefix length must be a number from 0 to 32");
        assertRejected(Map.of("exposure.trusted-cidrs", "10.0.0.1/8"), "exposure.trusted-cidrs", "10.0.0.1/8",
                "bits are set after the /8 prefix");
    }

    @Test
    void anEmptyTrustedListMeansNobody() {
        GuardPolicy policy = PolicyBinder.bind(Map.of("exposure.mode", "trusted", "exposure.trusted-cidrs", ""));
        assertThat(policy.exposure().trusted().isEmpty()).isTrue();
        assertThat(policy.exposure().allows("127.0.0.1")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "redis://localhost:99999            | the port 99999 is not from 1 to 65535",
            "redis://localhost:0                | the port 0 is not from 1 to 65535",
            "redis://localhost:123456789012/0   | the port 123456789012 is not from 1 to 65535",
            "http://cache:6379                  | the scheme must be redis or rediss",
            "redis:///0                         | no host",
            "redis://cache:6379 x               | not a URI",
    })
    void anInvalidRedisUriIsRejectedAtStartupNamingTheProperty(String uri, String reason) {
        assertRejected(Map.of("limits.backend", "redis", "limits.redis.failure-mode", "deny", "limits.redis.uri", uri),
                "limits.redis.uri", uri, reason);
    }

    @Test
    void aRedisPasswordWithASlashNeverAppears() {
        Map<String, String> props = Map.of(PREFIX + "limits.redis.uri", "redis://user:pa/ss@localhost:99999");
        assertThatThrownBy(() -> PolicyBinder.bind(props, PREFIX, k -> false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageNotContaining("pa/ss").hasMessageContaining("redis://***@localhost:99999")
                .hasMessageContaining("no host"); // an unencoded "/" ends the authority (RFC 3986 §3.2)
    }

    @Test
    void validRedisUrisPass() {
        for (String uri : new String[] {"redis://127.0.0.1:6379", "rediss://user:secret@cache.internal:6380/2",
                "redis://localhost", "redis://[::1]:6379/0"}) {
            assertThat(PolicyBinder.bind(Map.of("limits.backend", "redis", "limits.redis.uri", uri,
                    "limits.redis.failure-mode", "allow")).limitsBackend().redisUri()).isEqualTo(uri);
        }
    }
}
