package dev.upstreamguard.benchmarks.soak;

import io.netty.resolver.DefaultAddressResolverGroup;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;

/** The guarded Spring Cloud Gateway of the soak; its routes come from properties ({@link GatewayPackaging}). */
@SpringBootConfiguration
@EnableAutoConfiguration
public class SoakGateway {

    /** Names are resolved by the JDK, which honours {@code jdk.net.hosts.file}: no lookup leaves this machine. */
    @Bean
    HttpClientCustomizer jdkResolver() {
        return client -> client.resolver(DefaultAddressResolverGroup.INSTANCE);
    }
}
