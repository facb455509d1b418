package dev.upstreamguard.gateway;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.context.annotation.Bean;

/**
 * The kill switch, {@code upstream-guard.enabled=false}: the stock gateway's behaviour, with route
 * definitions that name the {@code UpstreamGuard} filter still valid — the filter stays registered and passes
 * every request through untouched. Nothing else of the starter is registered.
 */
@AutoConfiguration
@ConditionalOnClass({GlobalFilter.class, NettyRoutingFilter.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnProperty(name = "spring.cloud.gateway.server.webflux.enabled", matchIfMissing = true)
@ConditionalOnProperty(prefix = UpstreamGuardGatewayProperties.PREFIX, name = "enabled", havingValue = "false")
public class UpstreamGuardPassThroughAutoConfiguration {

    /** {@code UpstreamGuard} in a route: accepted, and a no-op. */
    @Bean
    @ConditionalOnMissingBean
    public UpstreamGuardGatewayFilterFactory upstreamGuardGatewayFilterFactory() {
        return UpstreamGuardGatewayFilterFactory.passThrough();
    }
}
