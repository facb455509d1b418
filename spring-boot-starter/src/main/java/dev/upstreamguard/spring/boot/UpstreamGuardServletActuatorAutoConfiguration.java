package dev.upstreamguard.spring.boot;

import dev.upstreamguard.spring.UpstreamGuardHealthConfiguration;
import dev.upstreamguard.status.StatusRegistry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The actuator endpoint {@code upstreamguard} and the {@code upstreamguard} health contributor (the shared
 * {@link UpstreamGuardHealthConfiguration}), when Spring Boot
 * Actuator is on the classpath and the servlet starter is active.
 */
@AutoConfiguration(after = UpstreamGuardServletAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(StatusRegistry.class)
@Import(UpstreamGuardHealthConfiguration.class)
public class UpstreamGuardServletActuatorAutoConfiguration {

    /** {@code /actuator/upstreamguard} (JSON, or HTML for a browser), when exposed. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    public UpstreamGuardEndpoint upstreamGuardEndpoint(StatusRegistry status) {
        return new UpstreamGuardEndpoint(status);
    }
}
