package dev.upstreamguard.spring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real {@link SpringApplication} with a bad value: the analyzers registered in {@code META-INF/spring.factories}
 * print it as Spring Boot prints a failed start, with the key, the value, its origin and what is accepted.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailureAnalyzerRegistrationTest {

    private static void start(String... args) {
        SpringApplication app = new SpringApplication(UpstreamGuardPropertiesBindingTest.Config.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.run(args);
    }

    @Test
    void aValueTheCoreRejectsIsPrintedTheSpringBootWay(CapturedOutput output) {
        assertThatThrownBy(() -> start("--upstream-guard.retry.max-attempts=0")).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START", "Property: upstream-guard.retry.max-attempts",
                "Value: \"0\"", "Origin: \"upstream-guard.retry.max-attempts\" from property source \"commandLineArgs\"",
                "Accepted: 1 (no retries) to 100", "or remove it for the default (2)");
    }

    @Test
    void aValueSpringCannotConvertIsPrintedWithWhatTheCoreAccepts(CapturedOutput output) {
        assertThatThrownBy(() -> start("--upstream-guard.exposure.mode=sometimes")).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START", "Property: upstream-guard.exposure.mode",
                "Value: \"sometimes\"", "Accepted: one of never, trusted, always");
    }
}
