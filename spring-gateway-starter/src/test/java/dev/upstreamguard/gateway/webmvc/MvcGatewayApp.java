package dev.upstreamguard.gateway.webmvc;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.servlet.UpstreamGuardFilter;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * A server-webmvc gateway with filter-core's servlet filter outside it. A top-level class, so the webflux
 * test run (which has no Servlet API on its classpath) never loads it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class MvcGatewayApp {

    /** The servlet filter, outside the gateway's handler functions. */
    @Bean
    FilterRegistrationBean<UpstreamGuardFilter> upstreamGuardFilter() {
        FilterRegistrationBean<UpstreamGuardFilter> bean =
                new FilterRegistrationBean<>(new UpstreamGuardFilter(UpstreamGuard.withDefaults(), "mvc-gateway"));
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return bean;
    }
}
