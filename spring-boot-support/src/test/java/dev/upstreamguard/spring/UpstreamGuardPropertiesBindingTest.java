package dev.upstreamguard.spring;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.core.policy.Exposure;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.RetryCondition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The typed properties as Spring binds them — properties, environment variables, YAML — converted into the
 * core policy, and every way a bad value stops the start with the key, the value and what is accepted.
 */
class UpstreamGuardPropertiesBindingTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(UpstreamGuardProperties.class)
    static class Config {
        @Bean
        GuardPolicy policy(UpstreamGuardProperties properties, Environment environment) {
            UpstreamGuardPolicies.checkKeys(environment, List.of());
            return UpstreamGuardPolicies.toPolicy(properties);
        }
    }

    private static ApplicationContextRunner withEnv(ApplicationContextRunner runner, Map<String, Object> variables) {
        return runner.withInitializer(context -> context.getEnvironment().getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", variables)));
    }

    private static FailureAnalysis analysis(AssertableApplicationContext context) {
        Throwable failure = context.getStartupFailure();
        assertThat(failure).isNotNull();
        FailureAnalysis analysis = new UpstreamGuardFailureAnalyzer(null).analyze(failure);
        return analysis != null ? analysis : new UpstreamGuardBindFailureAnalyzer().analyze(failure);
    }

    @Test
    void noPropertiesIsTheCoreDefaultPolicy() {
        runner.run(context -> assertThat(context.getBean(GuardPolicy.class)).isEqualTo(GuardPolicy.defaults()));
    }

    @Test
    void propertiesInTheirRelaxedFormsBind() {
        runner.withPropertyValues("upstream-guard.exposure.mode=NEVER", "upstream-guard.retry.max-attempts=3",
                        "upstream-guard.retry.methods=GET,put", "upstream-guard.status.connection_timeout=504",
                        "upstream-guard.status.connection-refused=503", "upstream-guard.rate-limit.key=HEADER",
                        "upstream-guard.rate-limit.key-header=X-Api-Key", "upstream-guard.health.count-upstream-5xx=true")
                .run(context -> {
                    GuardPolicy policy = context.getBean(GuardPolicy.class);
                    assertThat(policy.exposure().exposure()).isEqualTo(Exposure.NEVER);
                    assertThat(policy.retry().maxAttempts()).isEqualTo(3);
                    assertThat(policy.retry().retryableMethods()).containsExactlyInAnyOrder("GET", "PUT");
                    assertThat(policy.statusFor(ErrorType.CONNECTION_TIMEOUT)).isEqualTo(504);
                    assertThat(policy.statusFor(ErrorType.CONNECTION_REFUSED)).isEqualTo(503);
                    assertThat(policy.rateLimit().keyHeader()).isEqualTo("X-Api-Key");
                    assertThat(policy.health().countUpstream5xx()).isTrue();
                });
    }

    /** The core's spelling is the documented one; Spring's relaxed forms of it bind too. */
    @Test
    void countUpstream5xxBindsInEverySpelling() {
        for (String key : List.of("upstream-guard.health.count-upstream-5xx", "upstream-guard.health.count-upstream5xx",
                "upstream-guard.health.countUpstream5xx")) {
            runner.withPropertyValues(key + "=true").run(context -> {
                assertThat(context).as(key).hasNotFailed();
                assertThat(context.getBean(GuardPolicy.class).health().countUpstream5xx()).as(key).isTrue();
            });
        }
        withEnv(runner, Map.of("UPSTREAMGUARD_HEALTH_COUNTUPSTREAM5XX", "true")).run(context ->
                assertThat(context.getBean(GuardPolicy.class).health().countUpstream5xx()).isTrue());
    }

    @Test
    void environmentVariablesInSpringsCanonicalFormBind() {
        withEnv(runner, Map.of("UPSTREAMGUARD_RETRY_MAXATTEMPTS", "3", "UPSTREAMGUARD_EXPOSURE_MODE", "never",
                "UPSTREAMGUARD_RETRY_METHODS", "GET,PUT", "UPSTREAMGUARD_STATUS_CONNECTIONTIMEOUT", "504",
                "UPSTREAMGUARD_RETRY_DEADLINE", "10000"))
                .run(context -> {
                    GuardPolicy policy = context.getBean(GuardPolicy.class);
                    assertThat(policy.retry().maxAttempts()).isEqualTo(3);
                    assertThat(policy.exposure().exposure()).isEqualTo(Exposure.NEVER);
                    assertThat(policy.retry().retryableMethods()).containsExactlyInAnyOrder("GET", "PUT");
                    assertThat(policy.statusFor(ErrorType.CONNECTION_TIMEOUT)).isEqualTo(504);
                    assertThat(policy.retry().overallDeadline()).isEqualTo(Duration.ofSeconds(10));
                });
    }

    @Test
    void anEnvironmentVariableWithTheDashTurnedIntoAnUnderscoreStopsTheStartNamingSpringsForm() {
        withEnv(runner, Map.of("UPSTREAM_GUARD_EXPOSURE_MODE", "never")).run(context -> {
            assertThat(context).getFailure().hasRootCauseInstanceOf(ConfigurationException.class);
            assertThat(analysis(context).getDescription()).contains("UPSTREAM_GUARD_EXPOSURE_MODE", "\"never\"",
                    "UPSTREAMGUARD_EXPOSURE_MODE");
        });
    }

    @Test
    void yamlListsMapsDurationsAndSizesBind() {
        runner.withInitializer(new ConfigDataApplicationContextInitializer())
                .withPropertyValues("spring.profiles.active=yamltest")
                .run(context -> {
                    GuardPolicy policy = context.getBean(GuardPolicy.class);
                    assertThat(policy.retry().retryableMethods()).containsExactlyInAnyOrder("GET", "PUT");
                    assertThat(policy.retry().retryOn()).containsExactlyInAnyOrder(RetryCondition.CONNECT_FAILURE,
                            RetryCondition.TIMEOUT);
                    assertThat(policy.retry().retryOnStatuses()).containsExactly(503);
                    assertThat(policy.retry().overallDeadline()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(policy.statusFor(ErrorType.CONNECTION_TIMEOUT)).isEqualTo(504);
                    assertThat(policy.exposure().trusted().contains("192.168.1.7")).isTrue();
                    assertThat(policy.exposure().trusted().contains("127.0.0.1")).isFalse();
                    assertThat(policy.validation().maxHeaderSize()).isEqualTo(16 * 1024);
                });
    }

    @Test
    void aBareYamlOnKeyIsExplained() {
        runner.withInitializer(new ConfigDataApplicationContextInitializer())
                .withPropertyValues("spring.profiles.active=yamlon")
                .run(context -> assertThat(analysis(context).getDescription())
                        .contains("upstream-guard.retry[true][0]", "quote the key"));
    }

    @ParameterizedTest(name = "retry.deadline={0}")
    @CsvSource({"10000", "10000ms", "10s", "PT10S"})
    void durationsInEverySpringFormBind(String value) {
        runner.withPropertyValues("upstream-guard.retry.deadline=" + value).run(context ->
                assertThat(context.getBean(GuardPolicy.class).retry().overallDeadline()).isEqualTo(Duration.ofSeconds(10)));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            // rejected by the core binder
            "retry.max-attempts | 0 | 1 (no retries) to 100",
            "rate-limit.window | 1500ms | a whole number of seconds from 1s to 1d",
            "status.connection_timeout | 404 | a status from 500 to 599",
            "status.no_such_error | 502 | RFC 9209 token",
            "rate-limit.key | header | rate-limit.key-header",
            // rejected by Spring's conversion to the property's type
            "exposure.mode | sometimes | one of never, trusted, always",
            "retry-after.default | soon | a duration from 1s to 1d",
            "validation.max-header-size | lots | a size in bytes",
            "retry.statuses | 5xx | a comma-separated list of statuses from 400 to 599"})
    void aBadValueStopsTheStartNamingTheKeyTheValueAndWhatIsAccepted(String key, String value, String accepted) {
        runner.withPropertyValues("upstream-guard." + key + "=" + value).run(context -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis).as("analysed").isNotNull();
            assertThat(analysis.getDescription()).contains("upstream-guard.", accepted);
            if (!key.startsWith("rate-limit.key")) {
                assertThat(analysis.getDescription()).contains(key.replace('_', '-').substring(0, 8), value);
            }
        });
    }

    @Test
    void aMisspeltKeyStopsTheStartInsteadOfFallingBackToTheDefault() {
        runner.withPropertyValues("upstream-guard.retyr.max-attempts=3").run(context -> {
            assertThat(context).getFailure().hasRootCauseInstanceOf(ConfigurationException.class);
            assertThat(analysis(context).getDescription()).contains("upstream-guard.retyr.max-attempts", "\"3\"",
                    "one of the known keys", "upstream-guard.retry.max-attempts");
        });
        withEnv(runner, Map.of("UPSTREAMGUARD_RETRY_MAXATEMPTS", "3")).run(context ->
                assertThat(context).getFailure().hasRootCauseInstanceOf(ConfigurationException.class));
    }

    @Test
    void aMisspeltKeyNeverShowsAPassword() {
        runner.withPropertyValues("upstream-guard.limits.redis.url=redis://app:s3cret@127.0.0.1:6379").run(context -> {
            String description = analysis(context).getDescription();
            assertThat(description).contains("upstream-guard.limits.redis.url", "redis://***@127.0.0.1:6379");
            assertThat(description).doesNotContain("s3cret");
        });
    }

    @Test
    void aBindFailureOutsideOurPrefixIsLeftToSpringBoot() {
        assertThat(new UpstreamGuardBindFailureAnalyzer().analyze(new IllegalStateException("x"))).isNull();
        runner.withPropertyValues("upstream-guard.recent-failures=many").run(context -> {
            assertThat(context).getFailure().hasStackTraceContaining(BindException.class.getName());
            assertThat(new UpstreamGuardBindFailureAnalyzer().analyze(context.getStartupFailure())).isNull();
        });
    }

    @Test
    void everyBinderKeyIsATypedProperty() {
        UpstreamGuardProperties all = new UpstreamGuardProperties();
        all.getRetry().setPerTryTimeout(Duration.ofSeconds(1));
        all.getRetry().setDeadline(Duration.ofSeconds(2));
        all.getRateLimit().setKeyHeader("X-Key");
        all.getLimits().getRedis().setUri("redis://127.0.0.1:6379");
        all.getLimits().getRedis().setFailureMode(dev.upstreamguard.core.BackendFailureMode.ALLOW);
        Set<String> rendered = UpstreamGuardPolicies.render(all).keySet();
        List<String> binderKeys = dev.upstreamguard.core.policy.PolicyBinder.properties().stream()
                .map(p -> UpstreamGuardPolicies.KEY_PREFIX + p.key())
                .filter(k -> !k.endsWith("<error-type>")).toList();
        assertThat(rendered).containsExactlyInAnyOrderElementsOf(binderKeys);
    }
}
