package dev.upstreamguard.spring;

import dev.upstreamguard.status.StatusRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code upstreamguard} health contributor (Boot 4's health module), defined once for every packaging's
 * actuator auto-configuration, which imports it; {@code management.health.upstreamguard.enabled=false} turns
 * it off, a bean named {@code upstreamguardHealthIndicator} replaces it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnEnabledHealthIndicator("upstreamguard")
public class UpstreamGuardHealthConfiguration {

    /** Over the status registry's failure history. */
    @Bean
    @ConditionalOnMissingBean(name = "upstreamguardHealthIndicator")
    public UpstreamGuardHealthIndicator upstreamguardHealthIndicator(StatusRegistry status) {
        return new UpstreamGuardHealthIndicator(status.history());
    }
}
