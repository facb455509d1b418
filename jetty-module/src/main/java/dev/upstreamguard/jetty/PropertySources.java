package dev.upstreamguard.jetty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code upstream-guard.*} keys a user wrote where Jetty's {@code start.jar} reads properties:
 * {@code $JETTY_BASE/start.ini}, {@code $JETTY_BASE/start.d/*.ini} and the command line. Jetty XML only
 * reads the properties it names, so a misspelt key would otherwise be silently ignored; the module
 * configuration compares these keys with the ones it knows and refuses to start on an unknown one.
 */
final class PropertySources {

    /** {@code key=value}, {@code key+=value} or {@code key?=value}; the key starts with the prefix. */
    private static final Pattern ASSIGNMENT = Pattern.compile("\\s*(upstream-guard\\.[^=+?\\s]+)\\s*[+?]?=.*");

    private PropertySources() {
    }

    /** Each key found, mapped to where it was set ("in /path/start.d/x.ini", "on the command line"). */
    static Map<String, String> keys(Path jettyBase, List<String> commandLine) {
        Map<String, String> found = new TreeMap<>();
        List<Path> inis = new ArrayList<>();
        inis.add(jettyBase.resolve("start.ini"));
        Path startD = jettyBase.resolve("start.d");
        if (Files.isDirectory(startD)) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(startD, "*.ini")) {
                dir.forEach(inis::add);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        for (Path ini : inis) {
            if (Files.isRegularFile(ini)) {
                try {
                    for (String line : Files.readAllLines(ini, StandardCharsets.UTF_8)) {
                        keyOf(line).ifPresent(key -> found.putIfAbsent(key, "in " + ini));
                    }
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
        }
        for (String arg : commandLine) {
            keyOf(arg).ifPresent(key -> found.putIfAbsent(key, "on the command line"));
        }
        return found;
    }

    /** The arguments of this JVM (where {@code start.jar} runs Jetty in-process), or none if unknown. */
    static List<String> thisProcessArguments() {
        return ProcessHandle.current().info().arguments().map(List::of).orElse(List.of());
    }

    private static Optional<String> keyOf(String line) {
        Matcher m = ASSIGNMENT.matcher(line);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
