package dev.upstreamguard.spring.boot;

import dev.upstreamguard.core.policy.PolicyBinder;
import dev.upstreamguard.spring.UpstreamGuardPolicies;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonParserFactory;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module README's property table is what the code says: the core binder's keys with their defaults, what
 * they accept and what they do, and the Spring keys from the generated IDE metadata; every key of the binder
 * has typed IDE metadata with a description, and every metadata entry is in the table.
 */
class ReadmePropertiesDriftTest {
    private static final String PREFIX = UpstreamGuardPolicies.KEY_PREFIX;

    /** Every {@code upstream-guard.*} entry of the generated metadata on the classpath (support and starter). */
    private static Map<String, Map<String, Object>> metadata() throws Exception {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        for (URL url : Collections.list(ReadmePropertiesDriftTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                Map<String, Object> json = JsonParserFactory.getJsonParser()
                        .parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> properties = (List<Map<String, Object>>) json.getOrDefault("properties", List.of());
                for (Map<String, Object> p : properties) {
                    if (String.valueOf(p.get("name")).startsWith(PREFIX)) {
                        all.put(String.valueOf(p.get("name")), p);
                    }
                }
            }
        }
        return all;
    }

    /** Spring's relaxed comparison: case and dashes don't matter. */
    private static String squash(String key) {
        return key.toLowerCase(Locale.ROOT).replace("-", "");
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private static String accepted(String type) {
        if (type.equals("java.lang.Boolean")) {
            return "`true` or `false`";
        }
        if (type.equals("java.lang.Integer")) {
            return "a whole number";
        }
        if (type.startsWith("java.util.List")) {
            return "a comma-separated or YAML list";
        }
        return "text";
    }

    /** The table as the README must have it. */
    static String expectedTable(Map<String, Map<String, Object>> metadata) {
        StringBuilder table = new StringBuilder("| property | default | accepted | what it does |\n|---|---|---|---|\n");
        List<String> binderKeys = new ArrayList<>();
        PolicyBinder.properties().forEach(p -> binderKeys.add(squash(PREFIX + p.key())));
        new java.util.TreeMap<>(metadata).forEach((name, p) -> {
            if (!binderKeys.contains(squash(name)) && !name.equals(PREFIX + "status")) {
                Object d = p.get("defaultValue");
                String def = d instanceof List ? String.join(",", ((List<?>) d).stream().map(String::valueOf).toList())
                        : String.valueOf(d);
                table.append("| `").append(name).append("` | `").append(def).append("` | ")
                        .append(accepted(String.valueOf(p.get("type")))).append(" | ")
                        .append(cell(String.valueOf(p.get("description")))).append(" |\n");
            }
        });
        for (PolicyBinder.PropertyInfo p : PolicyBinder.properties()) {
            table.append("| `").append(PREFIX).append(p.key()).append("` | `").append(p.defaultValue()).append("` | ")
                    .append(cell(p.accepted())).append(" | ").append(cell(p.description())).append(" |\n");
        }
        return table.toString();
    }

    @Test
    void everyBinderKeyHasTypedIdeMetadataWithADescription() throws Exception {
        Map<String, Map<String, Object>> metadata = metadata();
        List<String> names = metadata.keySet().stream().map(ReadmePropertiesDriftTest::squash).toList();
        for (PolicyBinder.PropertyInfo p : PolicyBinder.properties()) {
            String key = p.key().startsWith("status.") ? "status" : p.key();
            assertThat(names).as("metadata for %s", key).contains(squash(PREFIX + key));
        }
        metadata.forEach((name, p) -> assertThat(p.get("description")).as("description of %s", name).isNotNull());
        // text only where the value is text: durations, sizes, lists, enums and numbers are typed
        assertThat(metadata.entrySet().stream().filter(e -> "java.lang.String".equals(e.getValue().get("type")))
                .map(e -> e.getKey().substring(PREFIX.length())).toList())
                .containsExactlyInAnyOrder("proxy-status.member-name", "problem-details.type-base", "request-id.header",
                        "rate-limit.name", "rate-limit.key-header", "limits.redis.uri", "limits.redis.key-prefix",
                        "filter.route-id");
    }

    @Test
    void theReadmeTableIsGeneratedFromTheCode() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        String expected = expectedTable(metadata());
        assertThat(readme).as("README.md property table; expected:%n%s", expected).contains(expected);
    }
}
