package dev.upstreamguard.samples.servlet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.net.http.HttpClient;

/**
 * A Spring Boot MVC application that calls its upstreams with the JDK {@link HttpClient} ({@link RelayController}).
 * The Upstream Guard starter puts its servlet filter in front (configured in {@code application.properties}): an
 * upstream failure becomes the right 5xx with {@code Proxy-Status} and problem details instead of Tomcat's 500,
 * every failure is a meter on {@code /actuator/prometheus}, and {@code /actuator/upstreamguard} is the status page.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleUpstreams.class)
public class ServletSampleApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(ServletSampleApplication.class, args);
    }

    /** The client the application calls its upstreams with (HTTP/1.1, a connect timeout). */
    @Bean
    HttpClient upstreamClient(SampleUpstreams upstreams) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(upstreams.connectTimeout()).build();
    }
}
