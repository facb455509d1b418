package dev.upstreamguard.gateway;

import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.policy.PolicyBinder;
import dev.upstreamguard.spring.UpstreamGuardPolicies;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IDE metadata a gateway application sees — the configuration processor's output of spring-boot-support
 * (the shared keys) and of this starter (the gateway's own keys), with the hand-written hints — covers every
 * key the starter binds, typed and described, no stale key; the gateway's keys are in this starter's
 * metadata only, so a servlet application's IDE never offers them.
 */
class ConfigurationMetadataTest {

    private static final String PREFIX = UpstreamGuardGatewayProperties.PREFIX + ".";
    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    @Test
    void everyKeyTheStarterBindsHasMetadataAndNoOtherKeyDoes() throws IOException {
        // compared in Spring's canonical form (the exact spelling: namesAreSpeltLikeTheCoreKeys)
        List<String> documented = ConfigurationMetadataTest.<String>readAll("$.properties[*].name").stream()
                .filter(name -> name.startsWith(PREFIX)).map(ConfigurationMetadataTest::canonical)
                .collect(Collectors.toList());
        List<String> bound = Stream.of(
                PolicyBinder.properties().stream().map(PolicyBinder.PropertyInfo::key)
                        .map(key -> key.startsWith("status.") ? "status" : key),
                UpstreamGuardPolicies.SPRING_KEYS.stream(),
                UpstreamGuardGatewayProperties.KEYS.stream())
                .flatMap(s -> s).map(key -> canonical(PREFIX + key)).collect(Collectors.toList());

        assertThat(documented).containsExactlyInAnyOrderElementsOf(bound);
    }

    /** The IDE offers the core's spelling of every key, not the Java name's dashed form (count-upstream5xx). */
    @Test
    void namesAreSpeltLikeTheCoreKeys() throws IOException {
        List<String> documented = ConfigurationMetadataTest.<String>readAll("$.properties[*].name");
        assertThat(documented).contains(PREFIX + "health.count-upstream-5xx")
                .doesNotContain(PREFIX + "health.count-upstream5xx");
        List<String> coreKeys = PolicyBinder.properties().stream().map(PolicyBinder.PropertyInfo::key)
                .filter(key -> !key.startsWith("status.")).map(key -> PREFIX + key).collect(Collectors.toList());
        assertThat(documented).containsAll(coreKeys);
    }

    @Test
    void everyKeyIsTypedAndDescribed() throws IOException {
        List<Map<String, Object>> properties = ConfigurationMetadataTest.<Map<String, Object>>readAll("$.properties[*]");
        for (Map<String, Object> p : properties) {
            if (String.valueOf(p.get("name")).startsWith(PREFIX)) {
                assertThat(p.get("description")).as("description of %s", p.get("name")).isNotNull();
                assertThat(p.get("type")).as("type of %s", p.get("name")).isNotNull();
            }
        }
        assertThat(type(properties, "response-timeout")).isEqualTo("java.time.Duration");
        assertThat(type(properties, "decoder-max-header-size")).isEqualTo("org.springframework.util.unit.DataSize");
        assertThat(type(properties, "retry.max-attempts")).isEqualTo("java.lang.Integer");
        assertThat(String.valueOf(type(properties, "retry.methods"))).startsWith("java.util.List");
        assertThat(type(properties, "exposure.mode")).isEqualTo("dev.upstreamguard.core.policy.Exposure");
        long strings = properties.stream().filter(p -> String.valueOf(p.get("name")).startsWith(PREFIX))
                .filter(p -> "java.lang.String".equals(p.get("type"))).count();
        assertThat(strings).as("only names, URIs, CIDR-free text keys are plain strings").isLessThan(10);
    }

    @Test
    void theGatewaysOwnKeysAreNotInTheSharedMetadata() throws IOException {
        List<String> shared = new ArrayList<>();
        List<String> gateway = new ArrayList<>();
        for (URL url : Collections.list(ConfigurationMetadataTest.class.getClassLoader().getResources(METADATA))) {
            List<String> names = ConfigurationMetadataTest.<String>read(url, "$.properties[*].name");
            names.removeIf(name -> !name.startsWith(PREFIX));
            if (url.toString().contains("spring-boot-support")) {
                shared.addAll(names);
            } else if (url.toString().contains("spring-gateway-starter")) {
                gateway.addAll(names);
            }
        }
        List<String> gatewayKeys = UpstreamGuardGatewayProperties.KEYS.stream().map(k -> PREFIX + k).collect(Collectors.toList());
        assertThat(shared).as("spring-boot-support's metadata was found").contains(PREFIX + "retry.max-attempts")
                .doesNotContainAnyElementsOf(gatewayKeys);
        assertThat(gateway).containsExactlyInAnyOrderElementsOf(gatewayKeys);
    }

    @Test
    void errorTypesAndRetryConditionsHaveHints() throws IOException {
        assertThat(readAll("$.hints[?(@.name == 'upstream-guard.status.keys')].values[*].value"))
                .containsExactlyInAnyOrderElementsOf(Stream.of(ErrorType.values()).map(ErrorType::token)
                        .collect(Collectors.toList()));
        assertThat(readAll("$.hints[?(@.name == 'upstream-guard.retry.conditions')].values[*].value"))
                .contains("connect-failure", "reset", "timeout", "status");
    }

    private static String canonical(String name) {
        return ConfigurationPropertyName.of(name).toString().replace("-", "");
    }

    private static Object type(List<Map<String, Object>> properties, String key) {
        return properties.stream().filter(p -> (PREFIX + key).equals(p.get("name"))).findFirst()
                .map(p -> p.get("type")).orElse(null);
    }

    private static <T> List<T> readAll(String path) throws IOException {
        List<T> all = new ArrayList<>();
        List<URL> urls = Collections.list(ConfigurationMetadataTest.class.getClassLoader().getResources(METADATA));
        assertThat(urls).as("the configuration processor ran").isNotEmpty();
        for (URL url : urls) {
            all.addAll(read(url, path));
        }
        return all;
    }

    private static <T> List<T> read(URL url, String path) throws IOException {
        try (InputStream json = url.openStream()) {
            return JsonPath.read(json, path);
        } catch (PathNotFoundException none) { // e.g. a file without hints
            return new ArrayList<>();
        }
    }
}
