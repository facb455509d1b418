package dev.upstreamguard.spring;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.status.FailureHistory;
import dev.upstreamguard.status.StatusRegistry;
import dev.upstreamguard.micrometer.UpstreamGuardMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.annotation.UserConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The beans every packaging shares, defined once in spring-boot-support: each is there by default, and each
 * gives way to the application's own bean of its type (the health contributor: of its name).
 */
class UpstreamGuardSharedConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(UserConfigurations.of(UpstreamGuardSharedConfiguration.class, UpstreamGuardHealthConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void everySharedBeanIsThereByDefault() {
        runner.run(context -> assertThat(context).hasNotFailed().hasSingleBean(UpstreamGuardProperties.class)
                .hasSingleBean(GuardPolicy.class).hasSingleBean(FailureHistory.class).hasSingleBean(StatusRegistry.class)
                .hasSingleBean(UpstreamGuardFactory.class).hasSingleBean(UpstreamGuard.class)
                .hasSingleBean(UpstreamGuardMetrics.class).hasSingleBean(UpstreamGuardHealthIndicator.class));
    }

    @Test
    void theApplicationsOwnBeanReplacesEachSharedOne() {
        FailureHistory history = UpstreamGuardPolicies.failureHistory(new UpstreamGuardProperties());
        replaces(GuardPolicy.class, () -> GuardPolicy.from(GuardPolicy.defaults()).build());
        replaces(FailureHistory.class, () -> history);
        replaces(StatusRegistry.class, () -> new StatusRegistry(history));
        replaces(UpstreamGuardFactory.class, () -> new UpstreamGuardFactory(List.of(), List.of()));
        replaces(UpstreamGuard.class, UpstreamGuard::withDefaults);
        replaces(UpstreamGuardMetrics.class, () -> new UpstreamGuardMetrics(new SimpleMeterRegistry()));
        UpstreamGuardHealthIndicator health = new UpstreamGuardHealthIndicator(history);
        runner.withBean("upstreamguardHealthIndicator", UpstreamGuardHealthIndicator.class, () -> health)
                .run(context -> assertThat(context.getBean(UpstreamGuardHealthIndicator.class)).isSameAs(health));
    }

    private <T> void replaces(Class<T> type, Supplier<T> own) {
        T bean = own.get();
        runner.withBean(type, () -> bean).run(context -> {
            assertThat(context).as(type.getSimpleName()).hasNotFailed().hasSingleBean(type);
            assertThat(context.getBean(type)).as(type.getSimpleName()).isSameAs(bean);
        });
    }

    @Test
    void thePackagingsKeysAreKnownAndItsRoutesListed() {
        runner.withBean(UpstreamGuardPackaging.class, () -> new UpstreamGuardPackaging(List.of("filter.order"), List.of("app")))
                .withPropertyValues("upstream-guard.filter.order=5")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(StatusRegistry.class).report().routes()).extracting(r -> r.routeId())
                            .containsExactly("app");
                });
        runner.withPropertyValues("upstream-guard.filter.order=5").run(context -> assertThat(context).getFailure()
                .hasRootCauseInstanceOf(ConfigurationException.class));
    }
}
