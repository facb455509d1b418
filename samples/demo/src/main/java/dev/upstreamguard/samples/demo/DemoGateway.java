package dev.upstreamguard.samples.demo;

import io.netty.resolver.DefaultAddressResolverGroup;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * The Spring Cloud Gateway application of the demo (run twice: stock, and with the starter). Its routes
 * come from properties ({@link GatewayStacks}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class DemoGateway {

    /**
     * Reactor Netty resolves names itself (reading resolv.conf) unless told otherwise: the JDK resolver honours
     * {@code jdk.net.hosts.file}, so every lookup of the demo stays on this machine.
     */
    @Bean
    HttpClientCustomizer jdkResolver() {
        return client -> client.resolver(DefaultAddressResolverGroup.INSTANCE);
    }
}
