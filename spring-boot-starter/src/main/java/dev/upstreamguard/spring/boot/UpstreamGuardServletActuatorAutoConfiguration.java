package dev.upstreamguard.spring.boot;

import dev.upstreamguard.spring.UpstreamGuardHealthIndicator;
import dev.upstreamguard.status.StatusRegistry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The actuator endpoint {@code upstreamguard} and the {@code upstreamguard} health contributor, when Spring Boot
 * Actuator is on the classpath and the servlet starter is active.
 */
@AutoConfiguration(after = UpstreamGuardServletAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(StatusRegistry.class)
public class UpstreamGuardServletActuatorAutoConfiguration {

    /** {@code /actuator/upstreamguard} (JSON, or HTML for a browser), when exposed. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    public UpstreamGuardEndpoint upstreamGuardEndpoint(StatusRegistry status) {
        return new UpstreamGuardEndpoint(status);
    }

    /** The {@code upstreamguard} health contributor (Boot 4's health module). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("upstreamguard")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "upstreamguardHealthIndicator")
        UpstreamGuardHealthIndicator upstreamguardHealthIndicator(StatusRegistry status) {
            return new UpstreamGuardHealthIndicator(status.history());
        }
    }
}
