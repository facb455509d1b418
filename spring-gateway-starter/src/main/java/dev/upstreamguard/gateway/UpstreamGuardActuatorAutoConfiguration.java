package dev.upstreamguard.gateway;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.spring.UpstreamGuardHealthConfiguration;
import dev.upstreamguard.status.StatusRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The actuator endpoint {@code upstreamguard} and the health contributor (the shared
 * {@link UpstreamGuardHealthConfiguration}), when Spring Boot Actuator is
 * on the classpath and the starter is active.
 */
@AutoConfiguration(after = UpstreamGuardAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean({UpstreamGuard.class, StatusRegistry.class})
@Import(UpstreamGuardHealthConfiguration.class)
public class UpstreamGuardActuatorAutoConfiguration {

    /** {@code /actuator/upstreamguard} (JSON, or HTML for a browser), when exposed. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    public UpstreamGuardEndpoint upstreamGuardEndpoint(StatusRegistry status, ObjectProvider<RouteLocator> routes,
                                                       ObjectProvider<LoadBalancedPools> pools) {
        return new UpstreamGuardEndpoint(status, routes.getIfAvailable(), pools.getIfAvailable());
    }
}
