package dev.upstreamguard.jetty;

import dev.upstreamguard.core.policy.PolicyBinder.PropertyInfo;

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

/**
 * Writes the parts of the Jetty module files that list properties — the XML's {@code set} calls, the
 * {@code [ini-template]} and the README reference table — from {@link JettyModuleConfiguration#properties()},
 * and the {@code [files]} and {@code [license]} sections of each module from the resolved dependencies
 * ({@link DependencyTree}). {@code ModuleFilesDriftTest} checks the committed files against the same lists;
 * when a property or a dependency changes, run {@code main} (working directory: {@code jetty-module}, after
 * a Maven build wrote {@code target/dependency-tree.txt}) and paste its output where it says.
 */
final class ModuleFiles {

    static final String PREFIX = JettyModuleConfiguration.PREFIX;

    /** Our artifact: the module's jars and its module and XML files are attached to it with classifiers. */
    static final String GROUP_ID = "dev.upstreamguard";
    static final String ARTIFACT_ID = "upstream-guard-jetty";

    /** A Jetty module of ours: its jar of our classes, its Jetty XML, and the dependencies whose closure it ships. */
    record JettyModule(String name, String ownJarClassifier, String xml, List<String> roots) {

        String libDir() {
            return "lib/" + name;
        }
    }

    /**
     * The three modules. The jar of {@code upstream-guard} holds filter-core's classes (shaded), so its third-party
     * jars are filter-core's dependencies; the others ship their roots' closure less what {@code upstream-guard}
     * already puts on the classpath. What jetty-home provides (Jetty, slf4j-api) is resolved as provided and
     * never shipped.
     */
    static final List<JettyModule> MODULES = List.of(
            new JettyModule("upstream-guard", "jetty-lib", "upstream-guard", List.of(GROUP_ID + ":upstream-guard-filter-core")),
            new JettyModule("upstream-guard-redis", null, null,
                    List.of("com.bucket4j:bucket4j_jdk17-lettuce", "io.lettuce:lettuce-core")),
            new JettyModule("upstream-guard-metrics", "jetty-metrics-lib", "upstream-guard-metrics",
                    List.of("io.micrometer:micrometer-core", "io.micrometer:micrometer-registry-prometheus")));

    /** A third-party project by group id: its name and licence, as its POM declares it (checked by hand). */
    record Licence(String project, String licence) {
    }

    static final Map<String, Licence> LICENCES = new LinkedHashMap<>();

    static {
        String apache = "Apache License, Version 2.0";
        LICENCES.put("com.bucket4j", new Licence("Bucket4j", apache));
        LICENCES.put("io.lettuce", new Licence("Lettuce", "MIT License"));
        LICENCES.put("redis.clients.authentication", new Licence("Redis authx core", "MIT License"));
        LICENCES.put("io.netty", new Licence("Netty", apache));
        LICENCES.put("io.projectreactor", new Licence("Project Reactor", apache));
        LICENCES.put("org.reactivestreams", new Licence("Reactive Streams", "MIT No Attribution (MIT-0)"));
        LICENCES.put("org.jspecify", new Licence("JSpecify", apache));
        LICENCES.put("io.micrometer", new Licence("Micrometer", apache));
        LICENCES.put("io.prometheus", new Licence("Prometheus Java client", apache));
        LICENCES.put("org.hdrhistogram", new Licence("HdrHistogram", "Public Domain (CC0 1.0) or BSD 2-Clause License"));
        LICENCES.put("org.latencyutils", new Licence("LatencyUtils", "Public Domain (CC0 1.0)"));
    }

    private ModuleFiles() {
    }

    /** The third-party artifacts {@code module} ships (and downloads), in the tree's order. */
    static List<DependencyTree.Artifact> thirdParty(DependencyTree tree, JettyModule module) {
        Set<String> keys = new LinkedHashSet<>(tree.closure(module.roots()));
        JettyModule main = MODULES.get(0);
        if (module == main) {
            keys.removeAll(module.roots());   // shaded into our jar
        } else {
            keys.removeAll(tree.closure(main.roots()));
        }
        List<DependencyTree.Artifact> artifacts = new ArrayList<>();
        for (String key : keys) {
            artifacts.add(tree.artifact(key));
        }
        return artifacts;
    }

    private static String ours(String version, String type, String classifier) {
        return "maven://" + GROUP_ID + "/" + ARTIFACT_ID + "/" + version + "/" + type + "/" + classifier;
    }

    /** The module's {@code [files]} section: our jar, the third-party jars and our Jetty XML, each fetched by maven:// URI. */
    static String filesSection(DependencyTree tree, JettyModule module) {
        String version = tree.project().version();
        StringBuilder out = new StringBuilder("[files]\n");
        if (module.ownJarClassifier() != null) {
            out.append(ours(version, "jar", module.ownJarClassifier())).append('|').append(module.libDir()).append('/')
                    .append(ARTIFACT_ID).append('-').append(version).append('-').append(module.ownJarClassifier()).append(".jar\n");
        }
        for (DependencyTree.Artifact a : thirdParty(tree, module)) {
            out.append("maven://").append(a.groupId()).append('/').append(a.artifactId()).append('/').append(a.version());
            if (a.classifier() != null || !a.type().equals("jar")) {
                out.append('/').append(a.type()).append(a.classifier() == null ? "" : "/" + a.classifier());
            }
            out.append('|').append(module.libDir()).append('/').append(a.fileName()).append('\n');
        }
        if (module.xml() != null) {
            out.append(ours(version, "xml", module.xml())).append("|etc/").append(module.xml()).append(".xml\n");
        }
        return out.toString();
    }

    /** The licence of a third-party group; fails for a group nobody has looked at yet. */
    static Licence licence(DependencyTree.Artifact artifact) {
        Licence licence = LICENCES.get(artifact.groupId());
        if (licence == null) {
            throw new IllegalStateException("no licence recorded for " + artifact.key() + ": read its POM and add its"
                    + " group to ModuleFiles.LICENCES (and NOTICE, and jetty-module/src/licenses/ if it needs a text)");
        }
        return licence;
    }

    /** The module's {@code [license]} section, shown by start.jar before it downloads anything. */
    static String licenseSection(DependencyTree tree, JettyModule module) {
        StringBuilder out = new StringBuilder("[license]\n");
        out.append("Upstream Guard is licensed under the Apache License, Version 2.0:\n");
        out.append("  https://www.apache.org/licenses/LICENSE-2.0\n");
        List<DependencyTree.Artifact> artifacts = thirdParty(tree, module);
        if (!artifacts.isEmpty()) {
            out.append("This module also downloads these libraries, each under its own licence\n");
            out.append("(texts: licenses/upstream-guard/ of the jetty-base distribution):\n");
            for (DependencyTree.Artifact a : artifacts) {
                Licence licence = licence(a);
                out.append("  ").append(a.artifactId()).append(' ').append(a.version()).append(" (").append(licence.project())
                        .append("): ").append(licence.licence()).append('\n');
            }
        }
        return out.toString();
    }

    /** The third-party list of NOTICE: per module directory, each project once with its licence. */
    static String noticeList(DependencyTree tree) {
        StringBuilder out = new StringBuilder();
        for (JettyModule module : MODULES) {
            Map<String, Licence> projects = new LinkedHashMap<>();
            for (DependencyTree.Artifact a : thirdParty(tree, module)) {
                projects.putIfAbsent(a.groupId(), licence(a));
            }
            out.append("  ").append(module.libDir()).append("/\n");
            for (Licence licence : projects.values()) {
                out.append(String.format("    %-28s %s\n", licence.project(), licence.licence()));
            }
        }
        return out.toString();
    }

    /** Whether the documented default is a literal value (else it is prose such as "(none)"). */
    static boolean literalDefault(PropertyInfo info) {
        return !info.defaultValue().startsWith("(");
    }

    static String xmlCalls(List<PropertyInfo> properties) {
        StringBuilder out = new StringBuilder();
        for (PropertyInfo p : properties) {
            String name = PREFIX + p.key();
            out.append("    <Call name=\"set\"><Arg>").append(name).append("</Arg><Arg><Property name=\"")
                    .append(name).append("\"/></Arg></Call>\n");
        }
        return out.toString();
    }

    static String iniTemplate(List<PropertyInfo> properties) {
        StringBuilder out = new StringBuilder();
        for (PropertyInfo p : properties) {
            out.append("## ").append(p.description()).append('\n');
            out.append("## accepted: ").append(p.accepted()).append('\n');
            if (literalDefault(p)) {
                out.append("# ").append(PREFIX).append(p.key()).append('=').append(p.defaultValue()).append("\n\n");
            } else {
                out.append("## default: ").append(p.defaultValue()).append('\n');
                out.append("# ").append(PREFIX).append(p.key()).append("=\n\n");
            }
        }
        return out.toString();
    }

    static String readmeTable(List<PropertyInfo> properties) {
        StringBuilder out = new StringBuilder("| property | default | accepted | what it does |\n|---|---|---|---|\n");
        for (PropertyInfo p : properties) {
            out.append("| `").append(PREFIX).append(p.key()).append("` | ").append(cell(p.defaultValue())).append(" | ")
                    .append(cell(p.accepted())).append(" | ").append(cell(p.description())).append(" |\n");
        }
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Writes the generated parts (and those of module upstream-guard-metrics) to {@code target/module-files/} for pasting. */
    public static void main(String[] args) throws IOException {
        List<PropertyInfo> all = JettyModuleConfiguration.properties();
        Path dir = Files.createDirectories(Path.of("target", "module-files"));
        Files.writeString(dir.resolve("xml-calls.txt"), xmlCalls(all), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("ini-template.txt"), iniTemplate(all), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("readme-table.md"), readmeTable(all), StandardCharsets.UTF_8);
        List<PropertyInfo> metrics = JettyModuleConfiguration.metricsProperties();
        Files.writeString(dir.resolve("metrics-xml-calls.txt"), xmlCalls(metrics), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("metrics-ini-template.txt"), iniTemplate(metrics), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("metrics-readme-table.md"), readmeTable(metrics), StandardCharsets.UTF_8);
        DependencyTree tree = DependencyTree.read();
        for (JettyModule module : MODULES) {
            Files.writeString(dir.resolve(module.name() + "-files.txt"),
                    filesSection(tree, module) + "\n" + licenseSection(tree, module), StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("notice-list.txt"), noticeList(tree), StandardCharsets.UTF_8);
        System.out.println("written to " + dir.toAbsolutePath());
    }
}
