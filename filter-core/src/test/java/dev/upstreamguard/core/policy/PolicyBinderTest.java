package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.OriginGuardAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyBinderTest {

    @Test
    void emptyPropertiesGiveTheDefaults() {
        assertThat(PolicyBinder.bind(Map.of())).isEqualTo(GuardPolicy.defaults());
    }

    @Test
    void bindsEveryProperty() {
        Map<String, String> p = new HashMap<>();
        p.put("proxy-status.member-name", "edge-1");
        p.put("exposure.mode", "always");
        p.put("exposure.trusted-cidrs", "10.0.0.0/8, ::1");
        p.put("validation.max-header-size", "4k");
        p.put("validation.max-header-section-size", "64KiB");
        p.put("validation.max-header-count", "50");
        p.put("validation.obs-fold", "replace-with-space");
        p.put("validation.content-length-with-transfer-encoding", "DROP_CONTENT_LENGTH");
        p.put("problem-details.enabled", "false");
        p.put("problem-details.type-base", "https://errors.example/");
        p.put("request-id.header", "X-Trace");
        p.put("retry-after.default", "5s");
        p.put("origin-guard.enabled", "false");
        p.put("origin-guard.header-budget", "8k");
        p.put("origin-guard.action", "strip");
        p.put("status.connection_timeout", "502");

        GuardPolicy policy = PolicyBinder.bind(p);

        assertThat(policy.memberName()).isEqualTo("edge-1");
        assertThat(policy.exposure().exposure()).isEqualTo(Exposure.ALWAYS);
        assertThat(policy.exposure().trusted().contains("10.20.30.40")).isTrue();
        assertThat(policy.exposure().trusted().contains("127.0.0.1")).isFalse();
        assertThat(policy.validation().maxHeaderSize()).isEqualTo(4096);
        assertThat(policy.validation().maxHeaderSectionSize()).isEqualTo(65536);
        assertThat(policy.validation().maxHeaderCount()).isEqualTo(50);
        assertThat(policy.validation().obsFold()).isEqualTo(ObsFoldHandling.REPLACE_WITH_SPACE);
        assertThat(policy.validation().contentLengthWithTransferEncoding())
                .isEqualTo(ContentLengthWithTransferEncoding.DROP_CONTENT_LENGTH);
        assertThat(policy.problemDetails()).isFalse();
        assertThat(policy.problemTypeBase()).isEqualTo("https://errors.example/");
        assertThat(policy.requestIdHeader()).isEqualTo("X-Trace");
        assertThat(policy.defaultRetryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.originGuard()).isEqualTo(new OriginGuardPolicy(false, 8192, OriginGuardAction.STRIP));
        assertThat(policy.statusFor(ErrorType.CONNECTION_TIMEOUT)).isEqualTo(502);
        assertThat(policy.statusFor(ErrorType.CONNECTION_REFUSED)).isEqualTo(502);
        assertThat(policy.statusFor(ErrorType.HTTP_RESPONSE_TIMEOUT)).isEqualTo(504);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "proxy-status.member-name|9lives|RFC 8941 token",
            "exposure.mode|sometimes|one of never, trusted, always",
            "exposure.trusted-cidrs|intranet.example|IPv4/IPv6 addresses or CIDR blocks",
            "exposure.trusted-cidrs|10.0.0.0/33|IPv4/IPv6 addresses or CIDR blocks",
            "validation.max-header-size|big|a size in bytes",
            "validation.max-header-size|0|a size in bytes",
            "validation.max-header-count|-3|a positive whole number",
            "validation.obs-fold|unfold|one of reject, replace-with-space",
            "validation.content-length-with-transfer-encoding|ignore|one of reject, drop-content-length",
            "problem-details.enabled|yes|true or false",
            "problem-details.type-base|not a uri|an absolute URI",
            "problem-details.type-base|/errors#|an absolute URI ending where the error token goes",
            "problem-details.type-base|about:config|or about:blank",
            "problem-details.type-base|About:Blank|or about:blank",
            "request-id.header|X Trace|an HTTP field name",
            "retry-after.default|soon|a duration",
            "retry-after.default|0s|a duration from 1s to 1d",
            "retry-after.default|2d|a duration from 1s to 1d",
            "origin-guard.header-budget|12|at least 256",
            "origin-guard.action|panic|one of warn, reject, strip",
            "status.connection_timeout|200|a status from 500 to 599",
            "status.http_request_error|302|a status from 400 to 599",
            "status.no_such_error|502|RFC 9209 token: dns_timeout, dns_error",
            "validaton.max-header-size|8k|no such property; known: upstream-guard.proxy-status.member-name",
            "concurrency.max-concurrent|-1|a whole number from 0",
            "concurrency.min-retry-after|500ms|a duration from 1s to 1d",
            "concurrency.max-retry-after|10d|a duration from 1s to 1d, not below concurrency.min-retry-after",
            "rate-limit.limit|0|from 1 to 1000000000",
            "rate-limit.window|1500ms|a whole number of seconds",
            "rate-limit.burst|-5|0 (same as rate-limit.limit)",
            "rate-limit.key|cookie|one of address, header",
            "rate-limit.name|Default|1-32 characters",
            "rate-limit.key-header|X Client|an HTTP field name",
            "retry.max-attempts|0|1 (no retries) to 100",
            "retry.methods|GET,POST|not POST, PATCH, CONNECT",
            "retry.methods|GET,,HEAD|a comma-separated list of idempotent methods",
            "retry.statuses|502,200|statuses from 400 to 599",
            "retry.per-try-timeout|0ms|a duration from 1ms to 1d",
            "retry.conditions|connect-failure,sometimes|connect-failure, reset, timeout, status",
            "health.panic-threshold|101|a whole number from 0 to 100",
            "retry.backoff-base|1s|a duration up to retry.backoff-cap",
            "retry.budget-ratio|1.5|a number from 0.0 to 1.0",
            "retry.budget-min-per-second|-1|a whole number from 0 to 1000000",
            "retry.max-replayable-body|1g|a size up to 16MiB",
            "health.consecutive-failures|0|a whole number from 1 to 1000",
            "health.max-ejected-percent|101|a whole number from 0 to 100",
            "health.base-ejection|soon|a duration from 1ms to 1d",
            "limits.backend|etcd|one of memory, redis",
            "limits.redis.uri|http://cache:6379|redis://[user:password@]host:port[/db]",
            "limits.redis.timeout|2m|a duration from 1ms to 1m",
            "limits.redis.failure-mode|maybe|allow or deny",
            "circuit-breaker.enabled|yes|true or false",
            "circuit-breaker.failure-threshold|0|a whole number from 1 to 1000",
            "circuit-breaker.open-duration|0ms|a duration from 1ms to 1d",
            "circuit-breaker.open-duration|2d|a duration from 1ms to 1d",
            "circuit-breaker.half-open-probes|1001|a whole number from 1 to 1000",
    })
    void rejectsABadValueNamingThePropertyTheValueAndWhatIsAccepted(String key, String value, String accepted) {
        assertThatThrownBy(() -> PolicyBinder.bind(Map.of("upstream-guard." + key, value), "upstream-guard.", k -> false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'upstream-guard." + key + "'")
                .hasMessageContaining("'" + value + "'")
                .hasMessageContaining(accepted)
                .satisfies(e -> assertThat(((ConfigurationException) e).property()).isEqualTo("upstream-guard." + key));
    }

    @Test
    void theTypeBaseAboutBlankIsAccepted() {
        assertThat(PolicyBinder.bind(Map.of("problem-details.type-base", "about:blank")).problemTypeBase())
                .isEqualTo("about:blank");
    }

    @Test
    void theDefaultTypeBaseIsTheOneProblemDetailsUses() {
        assertThat(GuardPolicy.defaults().problemTypeBase()).isEqualTo(GuardPolicy.DEFAULT_PROBLEM_TYPE_BASE);
        assertThat(PolicyBinder.properties()).filteredOn(p -> p.key().equals("problem-details.type-base"))
                .singleElement().satisfies(p -> assertThat(p.defaultValue()).isEqualTo(GuardPolicy.DEFAULT_PROBLEM_TYPE_BASE));
    }

    @Test
    void anEmptyValueIsRejectedToo() {
        assertThatThrownBy(() -> PolicyBinder.bind(Map.of("exposure.mode", " ")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'exposure.mode'");
    }

    @Test
    void sectionSmallerThanOneFieldIsRejectedNamingTheValidationProperties() {
        assertThatThrownBy(() -> PolicyBinder.bind(Map.of(
                "validation.max-header-size", "16k", "validation.max-header-section-size", "8k")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("validation.");
    }

    @Test
    void bindsTheLimits() {
        GuardPolicy p = PolicyBinder.bind(Map.of("concurrency.max-concurrent", "64", "rate-limit.enabled", "true",
                "rate-limit.limit", "20", "rate-limit.window", "1m", "rate-limit.burst", "40", "rate-limit.key", "header",
                "rate-limit.key-header", "X-Api-Key"));
        assertThat(p.concurrency().maxConcurrent()).isEqualTo(64);
        assertThat(p.rateLimit()).isEqualTo(new dev.upstreamguard.core.policy.RateLimitPolicy(true, "default", 20,
                Duration.ofMinutes(1), 40, dev.upstreamguard.core.policy.ClientKeySource.HEADER, "X-Api-Key"));
    }

    @Test
    void aMaximumBelowTheMinimumIsRejectedWithTheValueAsWritten() {
        assertThatThrownBy(() -> PolicyBinder.bind(Map.of("concurrency.min-retry-after", "10s",
                "concurrency.max-retry-after", "5s")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'concurrency.max-retry-after'").hasMessageContaining("'5s'");
    }

    @Test
    void bindsRetries() {
        Map<String, String> props = new HashMap<>();
        props.put("retry.max-attempts", "3");
        props.put("retry.methods", "get, head, PUT");
        props.put("retry.statuses", "503");
        props.put("retry.per-try-timeout", "2s");
        props.put("retry.deadline", "5s");
        props.put("retry.backoff-base", "10ms");
        props.put("retry.backoff-cap", "100ms");
        props.put("retry.retry-after-cap", "2s");
        props.put("retry.max-replayable-body", "0");
        props.put("retry.budget-ratio", "0.1");
        props.put("retry.budget-min-per-second", "0");
        GuardPolicy p = PolicyBinder.bind(props);
        assertThat(p.retry()).isEqualTo(new dev.upstreamguard.core.policy.RetryPolicy(3, java.util.Set.of("GET", "HEAD", "PUT"),
                java.util.Set.of(503), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(10),
                Duration.ofMillis(100), Duration.ofSeconds(2), 0, 0.1, 0));
    }

    @Test
    void bindsHealthAndTheRedisBackend() {
        GuardPolicy p = PolicyBinder.bind(Map.of("health.consecutive-failures", "3", "health.base-ejection", "10s",
                "health.max-ejection", "1m", "health.max-ejected-percent", "25", "health.count-upstream-5xx", "true",
                "limits.backend", "redis", "limits.redis.uri", "redis://127.0.0.1:6390/2", "limits.redis.timeout", "50ms",
                "limits.redis.failure-mode", "deny"));
        assertThat(p.health()).isEqualTo(new dev.upstreamguard.core.policy.PassiveHealthPolicy(true, 3, Duration.ofSeconds(10),
                Duration.ofMinutes(1), 25, true));
        assertThat(p.limitsBackend()).isEqualTo(new dev.upstreamguard.core.policy.BackendPolicy(
                dev.upstreamguard.core.policy.BackendPolicy.Kind.REDIS, "redis://127.0.0.1:6390/2", "upstream-guard:",
                Duration.ofMillis(50), dev.upstreamguard.core.BackendFailureMode.DENY));
    }

    @Test
    void bindsTheCircuitBreakerOffByDefault() {
        assertThat(PolicyBinder.bind(Map.of()).circuitBreaker())
                .isEqualTo(dev.upstreamguard.core.policy.CircuitBreakerPolicy.defaults())
                .satisfies(b -> assertThat(b.enabled()).isFalse());
        GuardPolicy p = PolicyBinder.bind(Map.of("circuit-breaker.enabled", "true", "circuit-breaker.failure-threshold", "3",
                "circuit-breaker.open-duration", "300ms", "circuit-breaker.half-open-probes", "2"));
        assertThat(p.circuitBreaker()).isEqualTo(new CircuitBreakerPolicy(true, 3, Duration.ofMillis(300), 2));
        GuardPolicy onTop = PolicyBinder.bind(p, Map.of("circuit-breaker.open-duration", "1m"), "", k -> false);
        assertThat(onTop.circuitBreaker()).as("a route's override keeps the rest")
                .isEqualTo(new CircuitBreakerPolicy(true, 3, Duration.ofMinutes(1), 2));
    }

    @Test
    void redisNeedsAnExplicitFailureModeAndAUri() {
        assertThatThrownBy(() -> PolicyBinder.bind(Map.of("limits.backend", "redis", "limits.redis.uri", "redis://r:6379")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'limits.redis.failure-mode'").hasMessageContaining("allow or deny");
        assertThatThrownBy(() -> PolicyBinder.bind(Map.of("limits.backend", "redis", "limits.redis.failure-mode", "allow")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'limits.redis.uri'");
    }

    @Test
    void aRedisPasswordNeverAppearsInAnError() {
        assertThatThrownBy(() -> PolicyBinder.bind(Map.of("limits.redis.uri", "http://admin:s3cret@cache:6379")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageNotContaining("s3cret").hasMessageContaining("http://***@cache:6379");
    }

    @Test
    void bindingOnTopOfABaseKeepsWhatThePropertiesDoNotName() {
        GuardPolicy base = PolicyBinder.bind(Map.of("exposure.mode", "always", "validation.max-header-size", "4k",
                "rate-limit.enabled", "true", "rate-limit.limit", "7", "retry.max-attempts", "3"));
        GuardPolicy route = PolicyBinder.bind(base, Map.of("r.rate-limit.limit", "9"), "r.", k -> false);
        assertThat(route.exposure()).isEqualTo(base.exposure());
        assertThat(route.validation()).isEqualTo(base.validation());
        assertThat(route.retry()).isEqualTo(base.retry());
        assertThat(route.rateLimit().enabled()).isTrue();
        assertThat(route.rateLimit().limit()).isEqualTo(9);
        assertThat(PolicyBinder.bind(base, Map.of(), "", k -> false)).isEqualTo(base);
    }

    @Test
    void aHeaderKeyWithoutItsHeaderNamesTheHeaderProperty() {
        assertThatThrownBy(() -> PolicyBinder.bind(Map.of("rate-limit.enabled", "true", "rate-limit.key", "header")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'rate-limit.key-header'")
                .hasMessageContaining("keyHeader must be a header field name");
    }

    @Test
    void keysOutsideThePrefixAndForeignKeysAreLeftToTheCaller() {
        Map<String, String> p = Map.of(
                "server.port", "8080",
                "upstream-guard.routes.orders.uri", "http://localhost:1",
                "upstream-guard.exposure.mode", "never");
        GuardPolicy policy = PolicyBinder.bind(p, "upstream-guard.", k -> k.startsWith("routes."));
        assertThat(policy.exposure().exposure()).isEqualTo(Exposure.NEVER);
    }

    @ParameterizedTest
    @CsvSource({"4096,4096", "4k,4096", "4KiB,4096", "4 kb,4096", "1m,1048576", "1MiB,1048576", "512b,512"})
    void sizes(String text, int bytes) {
        assertThat(PolicyBinder.size(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"250ms,250", "5s,5000", "2m,120000", "1h,3600000", "1d,86400000", "PT1.5S,1500", "pt30s,30000"})
    void durations(String text, long millis) {
        assertThat(PolicyBinder.duration(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void everyDocumentedPropertyIsBindable() {
        for (PolicyBinder.PropertyInfo info : PolicyBinder.properties()) {
            if (info.key().startsWith("status.") || info.defaultValue().startsWith("(")) {
                continue;
            }
            assertThat(PolicyBinder.bind(Map.of(info.key(), info.defaultValue())))
                    .as("default of %s binds to the default policy", info.key())
                    .isEqualTo(GuardPolicy.defaults());
        }
    }
}
