package dev.upstreamguard.spring.boot;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.ConfigurationException;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.micrometer.UpstreamGuardMetrics;
import dev.upstreamguard.servlet.UpstreamGuardFilter;
import dev.upstreamguard.spring.UpstreamGuardCustomizer;
import dev.upstreamguard.spring.UpstreamGuardFailureAnalyzer;
import dev.upstreamguard.spring.UpstreamGuardHealthIndicator;
import dev.upstreamguard.status.StatusRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every condition of the servlet auto-configuration, with {@link WebApplicationContextRunner}. */
class UpstreamGuardServletAutoConfigurationTest {

    private static final AutoConfigurations STARTER = AutoConfigurations.of(UpstreamGuardServletAutoConfiguration.class,
            UpstreamGuardServletActuatorAutoConfiguration.class);

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(STARTER);

    @SuppressWarnings("unchecked")
    private static FilterRegistrationBean<UpstreamGuardFilter> registration(
            org.springframework.context.ApplicationContext context) {
        return context.getBean("upstreamGuardFilter", FilterRegistrationBean.class);
    }

    @Test
    void aServletApplicationGetsTheFilterBeforeSpringBootsOwnFiltersForEveryDispatch() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(UpstreamGuard.class).hasSingleBean(GuardPolicy.class)
                    .hasSingleBean(StatusRegistry.class).hasSingleBean(UpstreamGuardHealthIndicator.class)
                    .doesNotHaveBean(UpstreamGuardMetrics.class).doesNotHaveBean(UpstreamGuardEndpoint.class);
            assertThat(context.getBean(GuardPolicy.class)).isEqualTo(GuardPolicy.defaults());
            FilterRegistrationBean<UpstreamGuardFilter> filter = registration(context);
            assertThat(filter.getFilter().guard()).isSameAs(context.getBean(UpstreamGuard.class));
            assertThat(filter.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE + 10);
            assertThat(filter.getUrlPatterns()).containsExactly("/*");
            assertThat(filter.determineDispatcherTypes()).containsExactlyInAnyOrder(DispatcherType.REQUEST,
                    DispatcherType.ASYNC, DispatcherType.ERROR);
            assertThat(filter.isAsyncSupported()).isTrue();
        });
    }

    @Test
    void theKillSwitchRegistersNothing() {
        runner.withPropertyValues("upstream-guard.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(UpstreamGuard.class).doesNotHaveBean(FilterRegistrationBean.class)
                .doesNotHaveBean(StatusRegistry.class).doesNotHaveBean(UpstreamGuardHealthIndicator.class));
    }

    @Test
    void noServletApplicationNoGuard() {
        new ApplicationContextRunner().withConfiguration(STARTER)
                .run(context -> assertThat(context).doesNotHaveBean(UpstreamGuard.class));
        new ReactiveWebApplicationContextRunner().withConfiguration(STARTER)
                .run(context -> assertThat(context).doesNotHaveBean(UpstreamGuard.class));
    }

    @Test
    void withoutActuatorOrMicrometerTheFilterStillWorks() {
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class, MeterRegistry.class))
                .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertThat(context).hasSingleBean(UpstreamGuard.class).hasBean("upstreamGuardFilter")
                        .doesNotHaveBean(UpstreamGuardMetrics.class).doesNotHaveBean(UpstreamGuardHealthIndicator.class)
                        .doesNotHaveBean(UpstreamGuardEndpoint.class));
    }

    @Test
    void theApplicationsOwnBeansWin() {
        UpstreamGuard own = UpstreamGuard.withDefaults();
        GuardPolicy policy = GuardPolicy.builder().memberName("mine").build();
        runner.withBean(UpstreamGuard.class, () -> own).run(context -> {
            assertThat(context.getBean(UpstreamGuard.class)).isSameAs(own);
            assertThat(registration(context).getFilter().guard()).isSameAs(own);
        });
        runner.withBean(GuardPolicy.class, () -> policy).run(context ->
                assertThat(context.getBean(UpstreamGuard.class).policy().memberName()).isEqualTo("mine"));
        runner.withUserConfiguration(OwnFilterRegistration.class).run(context ->
                assertThat(context).doesNotHaveBean("upstreamGuardFilter").hasBean("myFilter"));
        runner.withBean("myFilter", UpstreamGuardFilter.class, () -> new UpstreamGuardFilter(own, "x")).run(context ->
                assertThat(context).doesNotHaveBean("upstreamGuardFilter").hasBean("myFilter"));
        runner.withBean("upstreamguardHealthIndicator", String.class, () -> "not a health indicator").run(context ->
                assertThat(context).doesNotHaveBean(UpstreamGuardHealthIndicator.class));
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class OwnFilterRegistration {
        @org.springframework.context.annotation.Bean
        FilterRegistrationBean<UpstreamGuardFilter> myFilter() {
            return new FilterRegistrationBean<>(new UpstreamGuardFilter(UpstreamGuard.withDefaults(), "mine"));
        }
    }

    @Test
    void customizersChangeTheGuardBeforeItIsBuilt() {
        UpstreamGuardCustomizer customizer = builder -> builder.policy(GuardPolicy.builder().memberName("custom").build());
        runner.withBean(UpstreamGuardCustomizer.class, () -> customizer).run(context ->
                assertThat(context.getBean(UpstreamGuard.class).policy().memberName()).isEqualTo("custom"));
    }

    @Test
    void withAMeterRegistryFailuresAreMetered() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(UpstreamGuardMetrics.class);
            context.getBean(UpstreamGuard.class).failureResponse(UpstreamFailure.of(ErrorType.CONNECTION_REFUSED,
                    Phase.CONNECT), Exchange.of("default", "127.0.0.1", null, "id", System.nanoTime()));
            assertThat(context.getBean(MeterRegistry.class).find(UpstreamGuardMetrics.FAILURES).counter())
                    .isNotNull().extracting(c -> c.count()).isEqualTo(1.0);
        });
    }

    @Test
    void theStatusEndpointOnlyWhenExposed() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=upstreamguard")
                .run(context -> assertThat(context).hasSingleBean(UpstreamGuardEndpoint.class));
        runner.withPropertyValues("management.health.upstreamguard.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(UpstreamGuardHealthIndicator.class));
    }

    @Test
    void theHealthContributorIsUpWithTheFailuresByType() {
        runner.run(context -> {
            context.getBean(UpstreamGuard.class).failureResponse(UpstreamFailure.of(ErrorType.CONNECTION_REFUSED,
                    Phase.CONNECT), Exchange.of("default", "127.0.0.1", null, "id", System.nanoTime()));
            var health = context.getBean(UpstreamGuardHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails().get("failuresByType")).isEqualTo(Map.of("connection_refused", 1L));
        });
    }

    @Test
    void environmentVariablesBind() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(
                                "UPSTREAMGUARD_CONCURRENCY_MAXCONCURRENT", "3",
                                "UPSTREAMGUARD_FILTER_URLPATTERNS", "/api/*,/internal/*",
                                "UPSTREAMGUARD_FILTER_ROUTEID", "api"))))
                .run(context -> {
                    assertThat(context.getBean(GuardPolicy.class).concurrency().maxConcurrent()).isEqualTo(3);
                    assertThat(registration(context).getUrlPatterns()).containsExactly("/api/*", "/internal/*");
                    assertThat(context.getBean(StatusRegistry.class).report().routes())
                            .extracting(r -> r.routeId()).containsExactly("api");
                });
    }

    @Test
    void yamlListsAndMapsBind() {
        runner.withInitializer(new ConfigDataApplicationContextInitializer())
                .withPropertyValues("spring.profiles.active=servletyaml").run(context -> {
                    assertThat(registration(context).getUrlPatterns()).containsExactly("/api/*", "/internal/*");
                    GuardPolicy policy = context.getBean(GuardPolicy.class);
                    assertThat(policy.statusFor(ErrorType.CONNECTION_REFUSED)).isEqualTo(503);
                    assertThat(policy.exposure().trusted().contains("10.1.2.3")).isTrue();
                });
    }

    @ParameterizedTest(name = "concurrency.max-retry-after={0}")
    @CsvSource({"10000", "10s", "PT10S", "10000ms"})
    void durationsBindInEverySpringForm(String value) {
        runner.withPropertyValues("upstream-guard.concurrency.max-retry-after=" + value).run(context ->
                assertThat(context.getBean(GuardPolicy.class).concurrency().maxRetryAfter()).isEqualTo(Duration.ofSeconds(10)));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "upstream-guard.rate-limit.limit | 0 | a whole number from 1 to 1000000000",
            "upstream-guard.filter.ordr | 1 | upstream-guard.filter.order",
            "upstream-guard.filter.route-id | ' ' | a non-empty id",
            "upstream-guard.recent-failures | 0 | a whole number from 1 to 10000"})
    void aBadValueStopsTheStartNamingTheKeyTheValueAndWhatIsAccepted(String key, String value, String accepted) {
        runner.withPropertyValues(key + "=" + value).run(context -> {
            assertThat(context).getFailure().hasRootCauseInstanceOf(ConfigurationException.class);
            FailureAnalysis analysis = new UpstreamGuardFailureAnalyzer(null).analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Property: " + key, "Value: \"" + value.trim(), accepted);
        });
    }

    /** Policy, history, status registry, factory, guard, meters and health: one definition each, in spring-boot-support. */
    @Test
    void theBeansEveryPackagingSharesAreDefinedInSpringBootSupport() {
        runner.withBean(io.micrometer.core.instrument.MeterRegistry.class, io.micrometer.core.instrument.simple.SimpleMeterRegistry::new)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    for (String name : java.util.List.of("upstreamGuardPolicy", "upstreamGuardFailureHistory",
                            "upstreamGuardStatusRegistry", "upstreamGuardFactory", "upstreamGuard", "upstreamGuardMetrics",
                            "upstreamguardHealthIndicator")) {
                        var definition = (org.springframework.beans.factory.annotation.AnnotatedBeanDefinition)
                                context.getBeanFactory().getBeanDefinition(name);
                        assertThat(definition.getFactoryMethodMetadata().getDeclaringClassName()).as(name)
                                .matches("dev\\.upstreamguard\\.spring\\.UpstreamGuard(Shared|Health)Configuration.*");
                    }
                });
    }
}
