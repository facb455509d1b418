package dev.upstreamguard.gateway;

import dev.upstreamguard.testkit.Scenarios;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of every test that needs the gateway with the starter on: they all share one Spring context
 * (same configuration, same dynamic properties), so it starts once per test run.
 */
@SpringBootTest(classes = GatewayTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class GuardedGatewayTest {

    @Autowired
    Environment environment;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        GatewayTestApp.commonProperties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("upstream-guard.response-timeout", () -> Scenarios.RECOMMENDED_RESPONSE_TIMEOUT.toMillis() + "ms");
    }

    int port() {
        return Integer.parseInt(environment.getProperty("local.server.port"));
    }
}
