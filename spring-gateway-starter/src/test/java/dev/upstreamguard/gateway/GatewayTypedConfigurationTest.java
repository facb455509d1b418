package dev.upstreamguard.gateway;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.spring.UpstreamGuardBindFailureAnalyzer;
import dev.upstreamguard.spring.UpstreamGuardFailureAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's {@code upstream-guard.*} configuration through Spring's typed binding: environment variables
 * in Spring's canonical form, YAML lists, bare millisecond durations, for the shared and the gateway's own
 * keys; a bad value stops the start with an analysis naming the key, the value and what is accepted.
 */
class GatewayTypedConfigurationTest {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(UpstreamGuardAutoConfiguration.class));

    private ReactiveWebApplicationContextRunner withEnvironment(Map<String, Object> variables) {
        return runner.withInitializer(context -> context.getEnvironment().getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", variables)));
    }

    @Test
    void environmentVariablesBindSharedAndGatewayKeys() {
        withEnvironment(Map.of("UPSTREAMGUARD_RETRY_MAXATTEMPTS", "3",
                "UPSTREAMGUARD_EXPOSURE_MODE", "never",
                "UPSTREAMGUARD_RETRY_METHODS", "GET,PUT",
                "UPSTREAMGUARD_RESPONSETIMEOUT", "1500",
                "UPSTREAMGUARD_VIAPSEUDONYM", "edge-7"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    GuardPolicy policy = context.getBean(UpstreamGuard.class).policy();
                    assertThat(policy.retry().maxAttempts()).isEqualTo(3);
                    assertThat(policy.exposure().exposure()).isEqualTo(dev.upstreamguard.core.policy.Exposure.NEVER);
                    assertThat(policy.retry().retryableMethods()).containsExactlyInAnyOrder("GET", "PUT");
                    assertThat(context.getBean(UpstreamGuardGatewayProperties.class).getResponseTimeout())
                            .isEqualTo(Duration.ofMillis(1500));
                    assertThat(context.getBean(UpstreamGuardViaFilter.class).pseudonym()).isEqualTo("edge-7");
                });
    }

    @Test
    void theMisspeltVariableFormStopsTheStartSayingTheRightOne() {
        withEnvironment(Map.of("UPSTREAM_GUARD_EXPOSURE_MODE", "never")).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).contains("UPSTREAM_GUARD_EXPOSURE_MODE", "UPSTREAMGUARD_EXPOSURE_MODE");
        });
    }

    @Test
    void yamlListsAndBareMillisecondsBind() {
        runner.withInitializer(new ConfigDataApplicationContextInitializer())
                .withPropertyValues("spring.profiles.active=gatewayyaml")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    GuardPolicy policy = context.getBean(UpstreamGuard.class).policy();
                    assertThat(policy.retry().retryableMethods()).containsExactlyInAnyOrder("GET", "PUT");
                    assertThat(policy.retry().overallDeadline()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(policy.statusFor(ErrorType.CONNECTION_TIMEOUT)).isEqualTo(502);
                    UpstreamGuardGatewayProperties gateway = context.getBean(UpstreamGuardGatewayProperties.class);
                    assertThat(gateway.getResponseTimeout()).isEqualTo(Duration.ofMillis(2500));
                    assertThat(context.getBean(PhaseTrackingHttpClientCustomizer.class).decoderMaxHeaderSize())
                            .isEqualTo(64 * 1024);
                });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "upstream-guard.retry.max-attempts|lots|to 100",
            "upstream-guard.exposure.mode|everyone|never, trusted, always",
            "upstream-guard.retry.deadline|soon|duration",
            "upstream-guard.response-timeout|soon|a duration such as 500ms",
            "upstream-guard.decoder-max-header-size|big|a size such as 128KB",
            "upstream-guard.via-pseudonym|edge 1|an HTTP token",
            "upstream-guard.recent-failures|0|1 to 10000",
    })
    void aBadValueStopsTheStartNamingKeyValueAndAccepted(String key, String value, String accepted) {
        runner.withPropertyValues(key + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis).as("an Upstream Guard analysis for %s", key).isNotNull();
            assertThat(analysis.getDescription()).contains(key, value).containsIgnoringCase(accepted);
        });
    }

    @Test
    void anUnknownKeyStopsTheStartListingTheGatewayKeysAmongTheKnownOnes() {
        runner.withPropertyValues("upstream-guard.response-timeot=5s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(analysis(context).getDescription()).contains("upstream-guard.response-timeot",
                    "upstream-guard.response-timeout", "upstream-guard.retry.max-attempts");
        });
    }

    private static FailureAnalysis analysis(AssertableReactiveWebApplicationContext context) {
        Throwable failure = context.getStartupFailure();
        FailureAnalysis analysis = new UpstreamGuardFailureAnalyzer(null).analyze(failure);
        return analysis != null ? analysis : new UpstreamGuardBindFailureAnalyzer().analyze(failure);
    }

    @Test
    void theGatewayKeysAreKnownToTheUnknownKeyCheck() {
        assertThat(UpstreamGuardGatewayProperties.KEYS).containsAll(List.of("response-timeout",
                "decoder-max-header-size", "via-pseudonym"));
    }
}
