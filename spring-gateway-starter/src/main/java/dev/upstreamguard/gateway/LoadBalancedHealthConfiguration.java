package dev.upstreamguard.gateway;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Configuration added to every Spring Cloud LoadBalancer client context (one per service id): wraps the
 * context's {@link ServiceInstanceListSupplier}, however it was built, in a
 * {@link HealthFilteringServiceInstanceListSupplier} over the application's {@link LoadBalancedPools}.
 */
@Configuration(proxyBeanMethods = false)
public class LoadBalancedHealthConfiguration {

    /** The wrapper, applied after the supplier was initialised (a post-processor: static, created early). */
    @Bean
    static BeanPostProcessor upstreamGuardHealthFilteringSupplier(ObjectProvider<LoadBalancedPools> pools) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof ServiceInstanceListSupplier supplier
                        && !(bean instanceof HealthFilteringServiceInstanceListSupplier)) {
                    LoadBalancedPools available = pools.getIfAvailable();
                    return available == null ? bean : new HealthFilteringServiceInstanceListSupplier(supplier, available);
                }
                return bean;
            }
        };
    }
}
