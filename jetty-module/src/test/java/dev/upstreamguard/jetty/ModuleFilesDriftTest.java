package dev.upstreamguard.jetty;

import dev.upstreamguard.core.policy.PolicyBinder;
import dev.upstreamguard.core.policy.PolicyBinder.PropertyInfo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The XML, the ini template and the README reference list exactly the keys the code knows
 * ({@link JettyModuleConfiguration#properties()}: the module's own plus {@link PolicyBinder#properties()}
 * with one {@code status.<type>} per RFC 9209 type), so they cannot drift apart. When this fails after a
 * property was added, run {@link ModuleFiles#main} and paste its output (see its Javadoc).
 */
class ModuleFilesDriftTest {

    private static final Path BASE = Path.of("src/main/jetty-base");
    private static final String PREFIX = JettyModuleConfiguration.PREFIX;

    private static List<String> expectedKeys() {
        return JettyModuleConfiguration.properties().stream().map(p -> PREFIX + p.key()).toList();
    }

    private static String read(Path path) throws IOException {
        return Files.readString(path, StandardCharsets.UTF_8);
    }

    @Test
    void the_key_list_covers_the_core_binder_and_every_status_type() {
        List<String> keys = expectedKeys();
        for (PropertyInfo info : PolicyBinder.properties()) {
            if (info.key().contains("<")) {
                assertThat(keys).anyMatch(k -> k.startsWith(PREFIX + "status."));
            } else {
                assertThat(keys).contains(PREFIX + info.key());
            }
        }
        assertThat(keys).doesNotHaveDuplicates();
    }

    @Test
    void the_xml_passes_every_known_property_under_its_own_name() throws IOException {
        assertXmlPasses("etc/upstream-guard.xml", expectedKeys());
    }

    @Test
    void the_metrics_xml_passes_its_properties_and_the_status_page_trusted_cidrs_their_default() throws IOException {
        List<String> keys = new ArrayList<>(keys(JettyModuleConfiguration.metricsProperties()));
        keys.add(PREFIX + "status-page.trusted-cidrs");
        assertXmlPasses("etc/upstream-guard-metrics.xml", keys);
    }

    private static List<String> keys(List<PropertyInfo> properties) {
        return properties.stream().map(p -> PREFIX + p.key()).toList();
    }

    private static void assertXmlPasses(String file, List<String> expected) throws IOException {
        String xml = read(BASE.resolve(file));
        Matcher call = Pattern.compile("<Call name=\"set\"><Arg>([^<]+)</Arg><Arg><Property name=\"([^\"]+)\"/></Arg></Call>")
                .matcher(xml);
        List<String> passed = new ArrayList<>();
        while (call.find()) {
            assertThat(call.group(2)).as("the key passed with property %s", call.group(2)).isEqualTo(call.group(1));
            passed.add(call.group(1));
        }
        assertThat(passed).containsExactlyInAnyOrderElementsOf(expected);

        Matcher property = Pattern.compile("<Property name=\"(upstream-guard\\.[^\"]+)\"").matcher(xml);
        int properties = 0;
        while (property.find()) {
            properties++;
        }
        assertThat(properties).as("every upstream-guard property is read inside a set call").isEqualTo(passed.size());
    }

    @Test
    void the_ini_template_lists_every_property_commented_out_with_its_default() throws IOException {
        assertIniTemplateLists("modules/upstream-guard.mod", JettyModuleConfiguration.properties());
    }

    @Test
    void the_metrics_ini_template_lists_its_properties_commented_out_with_their_defaults() throws IOException {
        assertIniTemplateLists("modules/upstream-guard-metrics.mod", JettyModuleConfiguration.metricsProperties());
    }

    private static void assertIniTemplateLists(String file, List<PropertyInfo> properties) throws IOException {
        String mod = read(BASE.resolve(file));
        String template = mod.substring(mod.indexOf("[ini-template]"));
        assertThat(template.indexOf("\n[", 1)).as("[ini-template] is the last section").isNegative();

        Map<String, String> listed = new LinkedHashMap<>();
        Map<String, String> proseDefaults = new LinkedHashMap<>();
        String previous = "";
        for (String line : template.split("\n")) {
            Matcher m = Pattern.compile("# (upstream-guard\\.\\S+?)=(.*)").matcher(line);
            if (m.matches()) {
                assertThat(listed.put(m.group(1), m.group(2))).as("listed once: %s", m.group(1)).isNull();
                if (previous.startsWith("## default: ")) {
                    proseDefaults.put(m.group(1), previous.substring("## default: ".length()));
                }
            }
            assertThat(line).as("nothing is set by the template").doesNotStartWith("upstream-guard.");
            previous = line;
        }
        assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(keys(properties));
        for (PropertyInfo info : properties) {
            String key = PREFIX + info.key();
            if (ModuleFiles.literalDefault(info)) {
                assertThat(listed.get(key)).as("default of %s", key).isEqualTo(info.defaultValue());
            } else {
                assertThat(listed.get(key)).as("%s has no literal default", key).isEmpty();
                assertThat(proseDefaults.get(key)).as("default of %s", key).isEqualTo(info.defaultValue());
            }
        }
    }

    @Test
    void the_readme_reference_lists_every_property_with_its_default() throws IOException {
        String readme = read(Path.of("README.md"));
        Matcher row = Pattern.compile("(?m)^\\| `(upstream-guard\\.[^`]+)` \\| ([^|]*) \\|").matcher(readme);
        Map<String, String> documented = new LinkedHashMap<>();
        while (row.find()) {
            documented.put(row.group(1), row.group(2));
        }
        List<String> expected = new ArrayList<>(expectedKeys());
        expected.addAll(keys(JettyModuleConfiguration.metricsProperties()));
        assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(readme).contains(ModuleFiles.readmeTable(JettyModuleConfiguration.properties()))
                .contains(ModuleFiles.readmeTable(JettyModuleConfiguration.metricsProperties()));
    }

    /** The lines of {@code section} in a module file, up to the next section, ending in a newline. */
    private static String section(String mod, String section) {
        int start = mod.indexOf("\n" + section + "\n");
        assertThat(start).as("section %s", section).isNotNegative();
        int end = mod.indexOf("\n[", start + 1);
        return mod.substring(start + 1, end < 0 ? mod.length() : end).stripTrailing() + "\n";
    }

    /** So that --add-modules alone in an empty $JETTY_BASE fetches every jar a module needs, at the resolved version. */
    @Test
    void each_module_downloads_exactly_the_jars_maven_resolved_and_names_their_licences() throws IOException {
        DependencyTree tree = DependencyTree.read();
        for (ModuleFiles.JettyModule module : ModuleFiles.MODULES) {
            String mod = read(BASE.resolve("modules/" + module.name() + ".mod"));
            assertThat(section(mod, "[files]")).as("[files] of %s", module.name()).isEqualTo(ModuleFiles.filesSection(tree, module));
            assertThat(section(mod, "[license]")).as("[license] of %s", module.name())
                    .isEqualTo(ModuleFiles.licenseSection(tree, module));
        }
    }

    @Test
    void every_runtime_dependency_is_shipped_by_a_module_and_nothing_jetty_home_provides_is() throws IOException {
        DependencyTree tree = DependencyTree.read();
        Set<String> shipped = new LinkedHashSet<>();
        for (ModuleFiles.JettyModule module : ModuleFiles.MODULES) {
            shipped.addAll(tree.closure(module.roots()));
            for (DependencyTree.Artifact artifact : ModuleFiles.thirdParty(tree, module)) {
                assertThat(artifact.groupId()).doesNotStartWith("org.eclipse.jetty").isNotEqualTo("org.slf4j")
                        .isNotEqualTo(ModuleFiles.GROUP_ID);
            }
        }
        assertThat(shipped).as("a new compile or runtime dependency needs a module (ModuleFiles.MODULES)")
                .containsAll(tree.runtimeKeys());
        assertThat(ModuleFiles.thirdParty(tree, ModuleFiles.MODULES.get(0))).extracting(DependencyTree.Artifact::key)
                .containsExactly("com.bucket4j:bucket4j_jdk17-core");
    }

    @Test
    void the_notice_lists_every_bundled_project_with_its_licence() throws IOException {
        assertThat(read(Path.of("..", "NOTICE"))).contains(ModuleFiles.noticeList(DependencyTree.read()));
    }

    @Test
    void the_redis_module_depends_on_the_main_module_and_ships_only_its_own_directory() throws IOException {
        String mod = read(BASE.resolve("modules/upstream-guard-redis.mod"));
        assertThat(mod).contains("[depend]\nupstream-guard\n").contains("[lib]\nlib/upstream-guard-redis/*.jar\n");
        String main = read(BASE.resolve("modules/upstream-guard.mod"));
        assertThat(main).contains("[depend]\nserver\nclient\nproxy\n").contains("[lib]\nlib/upstream-guard/*.jar\n")
                .contains("[xml]\netc/upstream-guard.xml\n");
    }

    @Test
    void the_metrics_module_depends_on_the_main_module_and_ships_its_own_directory_and_xml() throws IOException {
        String mod = read(BASE.resolve("modules/upstream-guard-metrics.mod"));
        assertThat(mod).contains("[depend]\nupstream-guard\n").contains("[lib]\nlib/upstream-guard-metrics/*.jar\n")
                .contains("[xml]\netc/upstream-guard-metrics.xml\n");
    }
}
