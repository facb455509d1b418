package dev.upstreamguard.gateway;

import dev.upstreamguard.core.UpstreamGuard;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The actuator endpoint {@code upstreamguard} and the health contributor, when Spring Boot Actuator is
 * on the classpath and the starter is active.
 */
@AutoConfiguration(after = UpstreamGuardAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean({UpstreamGuard.class, RecentFailures.class})
public class UpstreamGuardActuatorAutoConfiguration {

    /** {@code /actuator/upstreamguard}, when exposed. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    public UpstreamGuardEndpoint upstreamGuardEndpoint(UpstreamGuard guard, RecentFailures failures,
                                                       ObjectProvider<RouteLocator> routes,
                                                       UpstreamGuardProperties properties) {
        return new UpstreamGuardEndpoint(guard, failures, routes.getIfAvailable(), properties);
    }

    /** The {@code upstreamguard} health contributor (Boot 4's health module). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("upstreamguard")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "upstreamguardHealthIndicator")
        UpstreamGuardHealthIndicator upstreamguardHealthIndicator(RecentFailures failures) {
            return new UpstreamGuardHealthIndicator(failures);
        }
    }
}
