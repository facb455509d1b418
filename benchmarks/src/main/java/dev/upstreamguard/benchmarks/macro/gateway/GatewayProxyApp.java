package dev.upstreamguard.benchmarks.macro.gateway;

import dev.upstreamguard.benchmarks.macro.ProcessStatsEndpoint;

import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Spring Cloud Gateway (server-webflux) of the load run, in its own JVM. The routes come from properties
 * the load run passes on the command line; the same class serves the stock gateway (started without the
 * starter's jar on the classpath) and the guarded one (with it, all defaults). The only bean of its own is
 * the round-robin of the {@code half} route, which both get.
 *
 * <p>Arguments: {@code --bench.stats-port=<port> --bench.dead-upstream=<URI>} and Spring properties.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class GatewayProxyApp {

    /** Starts the stats endpoint and the application. */
    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            if (arg.startsWith("--bench.stats-port=")) {
                ProcessStatsEndpoint.start(Integer.parseInt(arg.substring(arg.indexOf('=') + 1)));
            }
        }
        SpringApplication.run(GatewayProxyApp.class, args);
        System.out.println("READY gateway");
    }

    /** Sends every other request of the {@code half} route to the dead upstream. */
    @Bean
    HalfRouteRoundRobin halfRouteRoundRobin(@Value("${bench.dead-upstream}") URI dead) {
        return new HalfRouteRoundRobin("half", dead);
    }
}
