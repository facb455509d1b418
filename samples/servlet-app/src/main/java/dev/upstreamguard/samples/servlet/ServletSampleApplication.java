package dev.upstreamguard.samples.servlet;

import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.policy.PolicyBinder;
import dev.upstreamguard.micrometer.UpstreamGuardMetrics;
import dev.upstreamguard.servlet.UpstreamGuardFilter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

import java.net.http.HttpClient;
import java.util.Map;

/**
 * A Spring Boot MVC application that calls its upstreams with the JDK {@link HttpClient} ({@link RelayController})
 * behind {@link UpstreamGuardFilter}: an upstream failure becomes the right 5xx with {@code Proxy-Status} and
 * problem details instead of Tomcat's 500, and every failure is a meter on {@code /actuator/prometheus}.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleUpstreams.class)
public class ServletSampleApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(ServletSampleApplication.class, args);
    }

    /**
     * The guard: its policy from the {@code upstream-guard.*} properties (the same keys as the filter's
     * init-params; a bad value stops the start naming the property), its failures counted in Micrometer.
     */
    @Bean
    UpstreamGuard upstreamGuard(Environment environment, MeterRegistry registry) {
        Map<String, String> properties = Binder.get(environment)
                .bind("upstream-guard", Bindable.mapOf(String.class, String.class)).orElse(Map.of());
        return UpstreamGuard.builder()
                .policy(PolicyBinder.bind(properties))
                .addListener(new UpstreamGuardMetrics(registry))
                .build();
    }

    /** The filter around everything the application serves, outside Spring MVC's own exception handling. */
    @Bean
    FilterRegistrationBean<UpstreamGuardFilter> upstreamGuardFilter(UpstreamGuard guard) {
        FilterRegistrationBean<UpstreamGuardFilter> bean = new FilterRegistrationBean<>(new UpstreamGuardFilter(guard, "api"));
        bean.addUrlPatterns("/api/*");
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return bean;
    }

    /** The client the application calls its upstreams with (HTTP/1.1, a connect timeout). */
    @Bean
    HttpClient upstreamClient(SampleUpstreams upstreams) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(upstreams.connectTimeout()).build();
    }
}
