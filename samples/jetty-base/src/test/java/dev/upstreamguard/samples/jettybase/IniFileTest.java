package dev.upstreamguard.samples.jettybase;

import dev.upstreamguard.core.policy.PolicyBinder.PropertyInfo;
import dev.upstreamguard.jetty.GuardedProxyHandler;
import dev.upstreamguard.jetty.JettyModuleConfiguration;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code start.d/upstream-guard.ini} stays true to the module: every key it names (set or
 * commented out) is a key the module knows, every commented value is that key's default, and the settings
 * it does set build a working proxy.
 */
class IniFileTest {
    private static final Path INI = Path.of("jetty-base", "start.d", "upstream-guard.ini");
    private static final Pattern SETTING = Pattern.compile("^(# )?(upstream-guard\\.[a-z0-9_.-]+)=(.*)$");
    private static final String PREFIX = "upstream-guard.";

    @Test
    void everyKeyIsKnownEveryCommentedValueIsTheDefaultAndTheSetOnesBuildAProxy() throws Exception {
        Map<String, String> defaults = JettyModuleConfiguration.properties().stream()
                .collect(Collectors.toMap(PropertyInfo::key, PropertyInfo::defaultValue, (a, b) -> a));
        List<String> lines = Files.readAllLines(INI, StandardCharsets.UTF_8);
        assertThat(lines).contains("--modules=upstream-guard");
        Map<String, String> set = new LinkedHashMap<>();
        int commented = 0;
        for (String line : lines) {
            Matcher m = SETTING.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String key = m.group(2).substring(PREFIX.length());
            assertThat(defaults).as("%s is a property of the module", m.group(2)).containsKey(key);
            if (m.group(1) != null) {
                commented++;
                assertThat(m.group(3)).as("the default of %s", m.group(2)).isEqualTo(defaults.get(key));
            } else {
                set.put(m.group(2), m.group(3));
            }
        }
        assertThat(commented).isGreaterThan(20);
        assertThat(set).containsKey("upstream-guard.routes");
        GuardedProxyHandler proxy = JettyModuleConfiguration.handler(set);
        assertThat(proxy.config().routes()).extracting(r -> r.id()).containsExactly("orders", "assets");
        assertThat(proxy.config().routes().get(0).upstreams()).hasSize(2);
    }
}
