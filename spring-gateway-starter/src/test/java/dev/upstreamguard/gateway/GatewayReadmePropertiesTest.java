package dev.upstreamguard.gateway;

import dev.upstreamguard.spring.UpstreamGuardPolicies;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's property table has a row for every key the starter binds beyond the core's (the gateway's own
 * and the Spring keys), and points to the core reference for the others, which the core's
 * {@code ReadmeConfigurationReferenceTest} checks; {@code docs/spring-cloud-gateway.md} links to both.
 */
class GatewayReadmePropertiesTest {

    @Test
    void everyGatewayAndSpringKeyHasItsRow() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        List<String> keys = new ArrayList<>(UpstreamGuardGatewayProperties.KEYS);
        keys.addAll(UpstreamGuardPolicies.SPRING_KEYS);
        keys.add("status.<error-type>");
        for (String key : keys) {
            assertThat(readme).as("row of upstream-guard.%s", key).contains("\n| `upstream-guard." + key + "` | ");
        }
        assertThat(readme).contains("[configuration reference](../README.md#configuration-reference)");
    }
}
