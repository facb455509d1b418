package dev.upstreamguard.gateway;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.Exposure;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.micrometer.UpstreamGuardMetrics;
import dev.upstreamguard.spring.UpstreamGuardCustomizer;
import dev.upstreamguard.spring.UpstreamGuardFactory;
import dev.upstreamguard.spring.UpstreamGuardHealthIndicator;
import dev.upstreamguard.status.FailureHistory;
import dev.upstreamguard.status.StatusRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.GlobalFilter;

import static org.assertj.core.api.Assertions.assertThat;

/** Every condition of the auto-configuration, on a bare context (no server, no gateway auto-configuration). */
class UpstreamGuardAutoConfigurationTest {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(UpstreamGuardAutoConfiguration.class,
                    UpstreamGuardActuatorAutoConfiguration.class, UpstreamGuardPassThroughAutoConfiguration.class));

    private static final Class<?>[] STARTER_BEANS = {UpstreamGuard.class, UpstreamGuardFactory.class,
            UpstreamGuardGlobalFilter.class, UpstreamHeadFilter.class, PhaseTrackingHttpClientCustomizer.class,
            FailureHistory.class, StatusRegistry.class, LoadBalancedPools.class, GuardPolicy.class};

    @Test
    void activeInAReactiveAppWithTheGateway() {
        runner.run(context -> {
            for (Class<?> type : STARTER_BEANS) {
                assertThat(context).hasSingleBean(type);
            }
            assertThat(context.getBean(UpstreamGuard.class).policy().memberName()).isEqualTo("upstream-guard");
        });
    }

    @Test
    void activeInAReactiveAppWithTheGatewayHasTheGuardingRouteFilter() {
        runner.run(context -> assertThat(context.getBean(UpstreamGuardGatewayFilterFactory.class).isPassThrough()).isFalse());
    }

    @Test
    void offWhenDisabledButTheRouteFilterStaysAsAPassThrough() {
        runner.withPropertyValues("upstream-guard.enabled=false",
                        "upstream-guard.exposure.mode=not-even-checked") // off means off: nothing is bound
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    for (Class<?> type : STARTER_BEANS) {
                        assertThat(context).doesNotHaveBean(type);
                    }
                    assertThat(context).doesNotHaveBean(UpstreamGuardEndpoint.class);
                    assertThat(context).doesNotHaveBean(UpstreamGuardHealthIndicator.class);
                    assertThat(context.getBean(UpstreamGuardGatewayFilterFactory.class).isPassThrough()).isTrue();
                });
    }

    @Test
    void offWhenTheGatewayServerIsDisabled() {
        runner.withPropertyValues("spring.cloud.gateway.server.webflux.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(UpstreamGuard.class));
    }

    @Test
    void offWithoutTheGatewayOnTheClasspath() {
        runner.withClassLoader(new FilteredClassLoader(GlobalFilter.class))
                .run(context -> assertThat(context).doesNotHaveBean(UpstreamGuard.class));
    }

    @Test
    void offInAServletOrPlainApplication() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(UpstreamGuardAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(UpstreamGuard.class));
    }

    @Test
    void backsOffForTheApplicationsOwnBeans() {
        UpstreamGuard own = UpstreamGuard.withDefaults();
        FailureHistory ownHistory = new FailureHistory();
        runner.withBean(UpstreamGuard.class, () -> own).withBean(FailureHistory.class, () -> ownHistory)
                .run(context -> {
                    assertThat(context.getBean(UpstreamGuard.class)).isSameAs(own);
                    assertThat(context.getBean(UpstreamGuardGlobalFilter.class).guard()).isSameAs(own);
                    assertThat(context.getBean(StatusRegistry.class).history()).isSameAs(ownHistory);
                });
    }

    @Test
    void appliesCustomizersAfterTheProperties() {
        runner.withPropertyValues("upstream-guard.proxy-status.member-name=from-properties")
                .withBean(UpstreamGuardCustomizer.class, () -> builder -> builder.policy(
                        GuardPolicy.builder().memberName("edge-gw").build()))
                .run(context -> assertThat(context.getBean(UpstreamGuard.class).policy().memberName()).isEqualTo("edge-gw"));
    }

    @Test
    void bindsTheCoreKeysTheServletFilterUses() {
        runner.withPropertyValues("upstream-guard.exposure.mode=never",
                        "upstream-guard.status.connection_timeout=502",
                        "upstream-guard.status.dns-error=503",
                        "upstream-guard.proxy-status.member-name=edge")
                .run(context -> {
                    GuardPolicy policy = context.getBean(UpstreamGuard.class).policy();
                    assertThat(policy.exposure().exposure()).isEqualTo(Exposure.NEVER);
                    assertThat(policy.statusFor(ErrorType.CONNECTION_TIMEOUT)).isEqualTo(502);
                    assertThat(policy.statusFor(ErrorType.DNS_ERROR)).isEqualTo(503);
                    assertThat(policy.memberName()).isEqualTo("edge");
                });
    }

    @Test
    void anInvalidValueFailsStartupNamingTheProperty() {
        runner.withPropertyValues("upstream-guard.exposure.mode=everyone").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure()))
                    .contains("upstream-guard.exposure.mode", "everyone"); // what is accepted: GatewayTypedConfigurationTest
        });
    }

    @Test
    void aMisspeltKeyFailsStartup() {
        runner.withPropertyValues("upstream-guard.exposure.mod=never").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure())).contains("upstream-guard.exposure.mod");
        });
    }

    @Test
    void anUnknownErrorTypeFailsStartup() {
        runner.withPropertyValues("upstream-guard.status.connection_tiemout=502").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure())).contains("upstream-guard.status.");
        });
    }

    @Test
    void redisLimitsWithoutTheRedisClientFailStartupSayingWhatToAdd() {
        runner.withPropertyValues("upstream-guard.limits.backend=redis",
                        "upstream-guard.limits.redis.uri=redis://127.0.0.1:6379",
                        "upstream-guard.limits.redis.failure-mode=allow")
                .withClassLoader(new FilteredClassLoader("io.lettuce."))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootMessage(context.getStartupFailure()))
                            .contains("upstream-guard.limits.backend", "io.lettuce:lettuce-core");
                });
    }

    @Test
    void metersWhenThereIsAMeterRegistry() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertThat(context).hasSingleBean(UpstreamGuardMetrics.class));
        runner.run(context -> assertThat(context).doesNotHaveBean(UpstreamGuardMetrics.class));
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(UpstreamGuard.class);
                    assertThat(context).doesNotHaveBean(UpstreamGuardMetrics.class);
                });
    }

    @Test
    void raisesNettysHeadLimitOnlyWhenTheGatewaySetsNone() {
        runner.run(context -> assertThat(context.getBean(PhaseTrackingHttpClientCustomizer.class).decoderMaxHeaderSize())
                .isEqualTo(128 * 1024));
        runner.withBean(HttpClientProperties.class, () -> {
            HttpClientProperties own = new HttpClientProperties();
            own.setMaxHeaderSize(org.springframework.util.unit.DataSize.ofKilobytes(16));
            return own;
        }).run(context -> assertThat(context.getBean(PhaseTrackingHttpClientCustomizer.class).decoderMaxHeaderSize()).isZero());
    }

    /** Each bean every packaging shares is defined once, by spring-boot-support's configurations, not by the gateway's. */
    @Test
    void theSharedBeansComeFromSpringBootSupport() {
        Class<?>[] shared = {GuardPolicy.class, FailureHistory.class, StatusRegistry.class, UpstreamGuardFactory.class,
                UpstreamGuard.class, dev.upstreamguard.micrometer.UpstreamGuardMetrics.class, UpstreamGuardHealthIndicator.class};
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            var beans = context.getBeanFactory();
            java.util.Map<String, String> declaredIn = new java.util.TreeMap<>();
            java.util.Arrays.stream(shared).map(beans::getBeanNamesForType).forEach(names -> {
                assertThat(names).hasSize(1);
                declaredIn.put(names[0], ((org.springframework.beans.factory.annotation.AnnotatedBeanDefinition)
                        beans.getBeanDefinition(names[0])).getFactoryMethodMetadata().getDeclaringClassName());
            });
            assertThat(declaredIn).hasSize(shared.length).allSatisfy((name, declarer) -> assertThat(declarer).as(name)
                    .isIn(dev.upstreamguard.spring.UpstreamGuardSharedConfiguration.class.getName(),
                            dev.upstreamguard.spring.UpstreamGuardSharedConfiguration.class.getName() + "$Metrics",
                            dev.upstreamguard.spring.UpstreamGuardHealthConfiguration.class.getName()));
        });
    }

    /** With resilience4j: the gateway's CircuitBreaker keeps the cause of a refused call; without it, nothing of that. */
    @Test
    void keepsTheCauseOfAnOpenCircuitOnlyWithResilience4j() {
        runner.run(context -> assertThat(context).hasSingleBean(CircuitBreakerRetryAfter.CauseKeepingPostProcessor.class)
                .hasSingleBean(CircuitBreakerRetryAfter.class));
        runner.withClassLoader(new FilteredClassLoader("io.github.resilience4j.")).run(context -> assertThat(context)
                .hasNotFailed().hasSingleBean(UpstreamGuardGlobalFilter.class).doesNotHaveBean(CircuitBreakerRetryAfter.class));
    }

    @Test
    void actuatorEndpointAndHealthWhenActuatorIsPresent() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=upstreamguard").run(context -> {
            assertThat(context).hasSingleBean(UpstreamGuardEndpoint.class);
            assertThat(context).hasSingleBean(UpstreamGuardHealthIndicator.class);
        });
        runner.withPropertyValues("management.health.upstreamguard.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(UpstreamGuardHealthIndicator.class));
        runner.withClassLoader(new FilteredClassLoader(org.springframework.boot.actuate.endpoint.annotation.Endpoint.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(UpstreamGuard.class);
                    assertThat(context).doesNotHaveBean(UpstreamGuardEndpoint.class);
                    assertThat(context).doesNotHaveBean(UpstreamGuardHealthIndicator.class);
                });
    }

    @Test
    void startsWithoutSpringCloudLoadBalancer() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.cloud.loadbalancer."))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(UpstreamGuardGlobalFilter.class);
                    assertThat(context).doesNotHaveBean(LoadBalancedHealthConfiguration.class);
                });
    }

    @Test
    void anInvalidRecentFailuresCountFailsStartupNamingTheProperty() {
        runner.withPropertyValues("upstream-guard.recent-failures=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure())).contains("upstream-guard.recent-failures", "1 to 10000");
        });
    }

    @Test
    void theViaPseudonymIsConfigurableAndAnInvalidOneFailsStartup() {
        runner.withPropertyValues("upstream-guard.via-pseudonym=edge-1")
                .run(context -> assertThat(context.getBean(UpstreamGuardViaFilter.class).pseudonym()).isEqualTo("edge-1"));
        runner.withPropertyValues("upstream-guard.via-pseudonym=edge 1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure())).contains("upstream-guard.via-pseudonym", "edge 1");
        });
    }

    @Test
    void closesTheLimitBackendWhenTheContextCloses() {
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        dev.upstreamguard.core.limits.InMemoryBucketBackend memory = new dev.upstreamguard.core.limits.InMemoryBucketBackend();
        dev.upstreamguard.core.BucketBackend recording = new dev.upstreamguard.core.BucketBackend() {
            @Override
            public java.util.concurrent.CompletionStage<dev.upstreamguard.core.Consumption> tryConsume(
                    String key, dev.upstreamguard.core.BucketShape shape, long tokens) {
                return memory.tryConsume(key, shape, tokens);
            }

            @Override
            public java.util.concurrent.CompletionStage<Void> addTokens(String key,
                    dev.upstreamguard.core.BucketShape shape, long tokens) {
                return memory.addTokens(key, shape, tokens);
            }

            @Override
            public String name() {
                return "recording";
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        runner.withBean(UpstreamGuardCustomizer.class, () -> builder -> builder.bucketBackend(recording))
                .run(context -> {
                    assertThat(context.getBean(UpstreamGuard.class).bucketBackend()).isSameAs(recording);
                    assertThat(closed).isFalse();
                });
        assertThat(closed).as("closed with the context").isTrue();
    }

    private static String rootMessage(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
