package dev.upstreamguard.jetty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resolved dependencies of this module as Maven printed them ({@code dependency:tree} with
 * {@code verbose}, written to {@code target/dependency-tree.txt} by the build before the tests): each
 * artifact at the version and scope Maven chose, and the artifacts each one depends on, duplicates included.
 */
final class DependencyTree {

    static final Path FILE = Path.of("target", "dependency-tree.txt");

    /** One resolved artifact; {@code key} is {@code groupId:artifactId}. */
    record Artifact(String groupId, String artifactId, String type, String classifier, String version, String scope) {

        String key() {
            return groupId + ":" + artifactId;
        }

        /** The file name the assembly's dependency sets give it, and start.jar's [files] destinations too. */
        String fileName() {
            return artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + "." + type;
        }
    }

    // "g:a:type[:classifier]:version:scope" then optional remarks; an omitted duplicate is wrapped in "( ... - remarks)"
    private static final Pattern NODE = Pattern.compile(
            "^(?<prefix>(?:[|+\\\\ ][- ] )*)(?<omitted>\\()?(?<coords>[^ ()]+)(?<rest>.*)$");

    private final Artifact project;
    private final Map<String, Artifact> resolved = new LinkedHashMap<>();
    private final Map<String, List<String>> children = new LinkedHashMap<>();
    private final List<String> direct = new ArrayList<>();

    private DependencyTree(List<String> lines) {
        Deque<String> parents = new ArrayDeque<>();
        Artifact root = null;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = NODE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a dependency tree line: " + line);
            }
            int depth = m.group("prefix").length() / 3;
            boolean omitted = m.group("omitted") != null;
            Artifact artifact = parse(m.group("coords"), depth == 0);
            if (depth == 0) {
                root = artifact;
                parents.push(artifact.key());
                continue;
            }
            while (parents.size() > depth) {
                parents.pop();
            }
            children.computeIfAbsent(parents.peek(), k -> new ArrayList<>()).add(artifact.key());
            if (depth == 1) {
                direct.add(artifact.key());
            }
            if (!omitted) {
                resolved.put(artifact.key(), artifact);
            }
            parents.push(artifact.key());
        }
        if (root == null) {
            throw new IllegalArgumentException("empty dependency tree");
        }
        this.project = root;
    }

    private static Artifact parse(String coords, boolean project) {
        String[] p = coords.split(":");
        if (project) {   // g:a:packaging:version
            return new Artifact(p[0], p[1], p[2], null, p[3], null);
        }
        return switch (p.length) {
            case 5 -> new Artifact(p[0], p[1], p[2], null, p[3], p[4]);
            case 6 -> new Artifact(p[0], p[1], p[2], p[3], p[4], p[5]);
            default -> throw new IllegalArgumentException("not g:a:type[:classifier]:version:scope: " + coords);
        };
    }

    static DependencyTree read() throws IOException {
        if (!Files.exists(FILE)) {
            throw new IllegalStateException(FILE.toAbsolutePath() + " is missing: run the test through Maven"
                    + " (the dependency-tree execution of maven-dependency-plugin writes it)");
        }
        return new DependencyTree(Files.readAllLines(FILE, StandardCharsets.UTF_8));
    }

    Artifact project() {
        return project;
    }

    /** The artifact Maven resolved for {@code groupId:artifactId}. */
    Artifact artifact(String key) {
        Artifact artifact = resolved.get(key);
        if (artifact == null) {
            throw new IllegalArgumentException(key + " is not a dependency of " + project.key());
        }
        return artifact;
    }

    /** The artifacts a running Jetty needs of ours: compile and runtime scope (not provided, not test). */
    Set<String> runtimeKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (Artifact a : resolved.values()) {
            if (a.scope().equals("compile") || a.scope().equals("runtime")) {
                keys.add(a.key());
            }
        }
        return keys;
    }

    /**
     * {@code roots} and everything they depend on, transitively, that a running Jetty needs of ours
     * (compile or runtime scope as resolved: what jetty-home provides is resolved as provided).
     */
    Set<String> closure(List<String> roots) {
        Set<String> runtime = runtimeKeys();
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String key = todo.poll();
            artifact(key);
            if (runtime.contains(key) && seen.add(key)) {
                todo.addAll(children.getOrDefault(key, List.of()));
            }
        }
        return seen;
    }

    List<String> direct() {
        return direct;
    }
}
