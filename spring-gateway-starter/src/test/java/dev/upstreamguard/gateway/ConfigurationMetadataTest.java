package dev.upstreamguard.gateway;

import com.jayway.jsonpath.JsonPath;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.policy.PolicyBinder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IDE metadata the configuration processor produced (merged with the hand-written hints) covers
 * every key the core's binder accepts, no stale key, and every error type as a {@code status.*} hint.
 */
class ConfigurationMetadataTest {

    private static final String PREFIX = UpstreamGuardProperties.PREFIX + ".";

    @Test
    void everyKeyTheBinderAcceptsHasMetadataAndNoOtherKeyDoes() throws IOException {
        List<String> documented = read("$.properties[*].name").stream()
                .filter(name -> name.startsWith(PREFIX)).collect(Collectors.toList());
        List<String> bound = Stream.concat(
                PolicyBinder.properties().stream().map(PolicyBinder.PropertyInfo::key)
                        .map(key -> key.startsWith("status.") ? "status" : key),
                SpringPolicyBinding.STARTER_KEYS.stream()).map(key -> PREFIX + key).collect(Collectors.toList());

        assertThat(documented).containsExactlyInAnyOrderElementsOf(bound);
    }

    @Test
    void enumLikeValuesHaveHints() throws IOException {
        assertThat(read("$.hints[?(@.name == 'upstream-guard.exposure.mode')].values[*].value"))
                .containsExactly("never", "trusted", "always");
        assertThat(read("$.hints[?(@.name == 'upstream-guard.status.keys')].values[*].value"))
                .containsExactlyInAnyOrderElementsOf(Stream.of(ErrorType.values()).map(ErrorType::token)
                        .collect(Collectors.toList()));
    }

    private static List<String> read(String path) throws IOException {
        try (InputStream json = ConfigurationMetadataTest.class.getResourceAsStream(
                "/META-INF/spring-configuration-metadata.json")) {
            assertThat(json).as("the configuration processor ran").isNotNull();
            return JsonPath.read(json, path);
        }
    }
}
