package dev.upstreamguard.samples.gateway;

import io.netty.resolver.DefaultAddressResolverGroup;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Spring Cloud Gateway with the upstream-guard starter: the routes, limits and retries are all in
 * {@code application.yml}; the starter needs no code.
 */
@SpringBootApplication
public class GatewaySampleApplication {

    /** Starts the gateway. */
    public static void main(String[] args) {
        SpringApplication.run(GatewaySampleApplication.class, args);
    }

    /**
     * Upstream host names resolved by the JVM (the hosts file, then the system's resolver) rather than by
     * Reactor Netty's own DNS client, so {@code -Djdk.net.hosts.file} and {@code /etc/hosts} apply.
     */
    @Bean
    HttpClientCustomizer jvmResolver() {
        return client -> client.resolver(DefaultAddressResolverGroup.INSTANCE);
    }
}
