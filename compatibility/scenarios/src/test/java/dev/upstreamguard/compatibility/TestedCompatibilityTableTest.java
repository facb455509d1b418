package dev.upstreamguard.compatibility;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "Tested compatibility" table of the root README is exactly what the build tests: every version in it comes
 * from the poms (and, for what Spring Boot and Spring Cloud bring, from their BOMs), every JDK from the compiler
 * release and the JDK 25 run in {@code .ci/run}, every row names a module that exists, and every container module
 * of {@code compatibility/} has a row. A version bump without an update of the README fails here; the message
 * shows the table to paste. The starters' READMEs are held to the same versions.
 *
 * <p>The container modules check the other half: the running container reports the version of its pom.
 */
class TestedCompatibilityTableTest {
    private static final String HEADING = "## Tested compatibility";
    private static final String HEADER = "| packaging | platform | version | JDK | tested by |";
    private static final Pattern JDK25_RUN = Pattern.compile("JAVA_HOME=\"\\$JDK25\" \\./mvnw .*-pl (\\S+)");

    private final Path root = Path.of(property("ug.compat.project-root"));
    private final Path localRepository = Path.of(property("ug.compat.local-repository"));

    @Test
    void theReadmeTableIsWhatTheBuildTests() throws Exception {
        assertThat(readmeTable()).as("the README's table; expected:%n%s", String.join("\n", expectedTable()))
                .containsExactlyElementsOf(expectedTable());
    }

    @Test
    void everyContainerModuleHasARowAndEveryRowAModule() throws Exception {
        Set<String> containerModules = new TreeSet<>();
        for (String module : children(pom("compatibility/pom.xml"), "modules", "module")) {
            if (!module.equals("scenarios")) {
                containerModules.add("compatibility/" + module);
            }
        }
        Set<String> testedBy = new TreeSet<>();
        for (Row row : rows()) {
            assertThat(root.resolve(row.module()).resolve("pom.xml")).as("the module of %s", row).isRegularFile();
            if (row.module().startsWith("compatibility/")) {
                testedBy.add(row.module());
            }
        }
        assertThat(testedBy).isEqualTo(containerModules);
    }

    @Test
    void theStartersReadmesNameTheVersionsTheirTestsRunOn() throws Exception {
        String boot = property(pom("spring-boot-starter/pom.xml"), "ug.spring-boot.version");
        String bootTomcat = property(bom("org/springframework/boot/spring-boot-dependencies", boot), "tomcat.version");
        assertThat(Files.readString(root.resolve("spring-boot-starter/README.md")))
                .contains("Built and tested with Spring Boot **" + boot + "** (Spring MVC on Boot's Tomcat " + bootTomcat + ")");
        Document gatewayPom = pom("spring-gateway-starter/pom.xml");
        String gatewayBoot = property(gatewayPom, "ug.spring-boot.version");
        String cloud = property(gatewayPom, "ug.spring-cloud.version");
        String gateway = property(bom("org/springframework/cloud/spring-cloud-dependencies", cloud), "spring-cloud-gateway.version");
        assertThat(Files.readString(root.resolve("spring-gateway-starter/README.md")).replace('\n', ' '))
                .contains("Built and tested with Spring Boot **" + gatewayBoot + "** + Spring Cloud **" + cloud
                        + "** (Gateway **" + gateway + "**");
    }

    /** A row: what is tested on which platform and version, by the tests of {@code module}. */
    private record Row(String packaging, String platform, String version, String module) {
    }

    private List<Row> rows() throws Exception {
        Document rootPom = pom("pom.xml");
        Document compatibility = pom("compatibility/pom.xml");
        String jetty = property(rootPom, "ug.jetty.version");
        String bootForMvc = property(pom("spring-boot-starter/pom.xml"), "ug.spring-boot.version");
        Document gatewayPom = pom("spring-gateway-starter/pom.xml");
        String bootForGateway = property(gatewayPom, "ug.spring-boot.version");
        String cloud = property(gatewayPom, "ug.spring-cloud.version");
        String bootTomcat = property(bom("org/springframework/boot/spring-boot-dependencies", bootForMvc), "tomcat.version");
        String gateway = property(bom("org/springframework/cloud/spring-cloud-dependencies", cloud), "spring-cloud-gateway.version");
        String filter = "servlet filter (`upstream-guard-filter-core`)";
        return List.of(
                new Row(filter, "Jetty 12.1 ee10, Servlet 6.0, embedded", jetty, "compatibility/jetty-ee10"),
                new Row(filter, "Jetty 12.1 ee11, Servlet 6.1, embedded", jetty, "compatibility/jetty-ee11"),
                new Row(filter, "Tomcat 10.1, Servlet 6.0, embedded",
                        property(compatibility, "ug.tomcat-10.1.version"), "compatibility/tomcat-10.1"),
                new Row(filter, "Tomcat 11, Servlet 6.1, embedded",
                        property(compatibility, "ug.tomcat-11.version"), "compatibility/tomcat-11"),
                new Row("the core and the servlet filter: every test of the module",
                        "JDK `HttpClient`; embedded Jetty 12.1 ee10", jetty, "filter-core"),
                new Row("Spring Boot starter (`upstream-guard-spring-boot-starter`)", "Spring Boot MVC on Boot's Tomcat",
                        "Boot " + bootForMvc + " (Tomcat " + bootTomcat + ")", "spring-boot-starter"),
                new Row("guarded Jetty proxy (`upstream-guard-jetty`), embedded", "Jetty 12.1 core", jetty, "jetty-module"),
                new Row("Jetty module on jetty-home 12.1.x (start.jar)", "jetty-home", jetty, "jetty-module"),
                new Row("Spring Cloud Gateway starter (`upstream-guard-spring-gateway-starter`)",
                        "Spring Cloud Gateway server-webflux",
                        "Boot " + bootForGateway + ", Cloud " + cloud + " (Gateway " + gateway + ")",
                        "spring-gateway-starter"));
    }

    private List<String> expectedTable() throws Exception {
        String release = property(pom("pom.xml"), "maven.compiler.release");
        Set<String> onJdk25 = jdk25Modules();
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        lines.add("|---|---|---|---|---|");
        for (Row row : rows()) {
            String jdks = onJdk25.contains(row.module()) ? release + ", 25" : release;
            lines.add("| " + row.packaging() + " | " + row.platform() + " | " + row.version() + " | " + jdks
                    + " | `" + row.module() + "` |");
        }
        return lines;
    }

    /** The modules whose tests the JDK 25 run of {@code .ci/run} selects ({@code -pl}). */
    private Set<String> jdk25Modules() throws IOException {
        Set<String> modules = new LinkedHashSet<>();
        for (String line : Files.readAllLines(root.resolve(".ci/run"))) {
            Matcher m = JDK25_RUN.matcher(line);
            if (m.find()) {
                modules.addAll(List.of(m.group(1).split(",")));
            }
        }
        assertThat(modules).as(".ci/run runs tests on JDK 25 (a line like %s)", JDK25_RUN.pattern()).isNotEmpty();
        return modules;
    }

    private List<String> readmeTable() throws IOException {
        List<String> lines = Files.readAllLines(root.resolve("README.md"));
        int heading = lines.indexOf(HEADING);
        assertThat(heading).as("README.md has a section '%s'", HEADING).isNotNegative();
        int start = lines.subList(heading, lines.size()).indexOf(HEADER);
        assertThat(start).as("the section has a table starting '%s'", HEADER).isNotNegative();
        return lines.subList(heading + start, lines.size()).stream()
                .takeWhile(l -> l.startsWith("|"))
                .collect(Collectors.toList());
    }

    private Document pom(String path) throws Exception {
        return parse(root.resolve(path));
    }

    /** A BOM the build resolved into the local repository (the starters' builds bring it). */
    private Document bom(String groupPath, String version) throws Exception {
        String artifact = groupPath.substring(groupPath.lastIndexOf('/') + 1);
        Path file = localRepository.resolve(groupPath).resolve(version).resolve(artifact + "-" + version + ".pom");
        assertThat(file).as("%s %s in the local repository: build the starters first", artifact, version).isRegularFile();
        return parse(file);
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static String property(Document pom, String name) {
        List<String> values = children(pom, "properties", name);
        assertThat(values).as("property %s", name).hasSize(1);
        return values.get(0);
    }

    /** The texts of the elements {@code name} directly under the project's element {@code parent}. */
    private static List<String> children(Document pom, String parent, String name) {
        List<String> values = new ArrayList<>();
        for (Node p = pom.getDocumentElement().getFirstChild(); p != null; p = p.getNextSibling()) {
            if (p instanceof Element e && e.getTagName().equals(parent)) {
                NodeList nodes = e.getChildNodes();
                for (int i = 0; i < nodes.getLength(); i++) {
                    if (nodes.item(i) instanceof Element c && c.getTagName().equals(name)) {
                        values.add(c.getTextContent().trim());
                    }
                }
            }
        }
        return values;
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property '" + name + "' is not set; the module's surefire"
                    + " configuration sets it");
        }
        return value;
    }
}
