package dev.upstreamguard.jetty;

import dev.upstreamguard.core.policy.PolicyBinder.PropertyInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the parts of the Jetty module files that list properties — the XML's {@code set} calls, the
 * {@code [ini-template]} and the README reference table — from {@link JettyModuleConfiguration#properties()}.
 * {@code ModuleFilesDriftTest} checks the committed files against the same list; when a property is added,
 * run {@code main} (working directory: {@code jetty-module}) and paste its output where it says.
 */
final class ModuleFiles {

    static final String PREFIX = JettyModuleConfiguration.PREFIX;

    private ModuleFiles() {
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
        System.out.println("written to " + dir.toAbsolutePath());
    }
}
