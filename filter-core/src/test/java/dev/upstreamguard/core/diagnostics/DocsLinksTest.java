package dev.upstreamguard.core.diagnostics;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link of the pages under {@code docs/}, and every link of the root README into {@code docs/},
 * names a file that exists and, for a Markdown target, an anchor it has: an {@code <a id>} or a heading (by the
 * GitHub rule: lower case, punctuation dropped, spaces to hyphens).
 */
class DocsLinksTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern ID = Pattern.compile("<a id=\"([^\"]+)\"></a>");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");

    static String slug(String heading) {
        return heading.trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        Matcher id = ID.matcher(markdown);
        while (id.find()) {
            anchors.add(id.group(1));
        }
        Matcher heading = HEADING.matcher(markdown.replaceAll("(?s)```.*?```", ""));
        while (heading.find()) {
            anchors.add(slug(heading.group(1)));
        }
        return anchors;
    }

    private static List<String> brokenLinks(Path page, boolean onlyIntoDocs) throws IOException {
        String text = Files.readString(page, StandardCharsets.UTF_8).replaceAll("(?s)```.*?```", "");
        List<String> broken = new ArrayList<>();
        Matcher link = LINK.matcher(text);
        while (link.find()) {
            String target = link.group(1);
            if (target.matches("[a-z]+:.*")) {
                continue; // absolute: https:, mailto:
            }
            int hash = target.indexOf('#');
            String file = hash < 0 ? target : target.substring(0, hash);
            String fragment = hash < 0 ? null : target.substring(hash + 1);
            Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
            if (onlyIntoDocs && !resolved.startsWith(ROOT.resolve("docs").normalize())) {
                continue;
            }
            if (!Files.exists(resolved)) {
                broken.add(page + ": " + target + " (no such file)");
            } else if (fragment != null && resolved.toString().endsWith(".md")
                    && !anchors(Files.readString(resolved, StandardCharsets.UTF_8)).contains(fragment)) {
                broken.add(page + ": " + target + " (no such anchor)");
            }
        }
        return broken;
    }

    @Test
    void theGithubSlugRuleIsTheOneUsed() {
        assertThat(slug("Reading an answer")).isEqualTo("reading-an-answer");
        assertThat(slug("`not_retried`: why no further attempt was made")).isEqualTo("not_retried-why-no-further-attempt-was-made");
        assertThat(slug("The problem `type` URI")).isEqualTo("the-problem-type-uri");
        assertThat(slug("`dns_error` — Upstream name could not be resolved"))
                .isEqualTo("dns_error--upstream-name-could-not-be-resolved");
    }

    @Test
    void everyLinkOfTheDocsPagesResolves() throws IOException {
        List<Path> pages;
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            pages = files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
        assertThat(pages).extracting(p -> p.getFileName().toString()).contains("errors.md", "servlet-filter.md",
                "spring-boot-starter.md", "jetty-module.md", "spring-cloud-gateway.md");
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            broken.addAll(brokenLinks(page, false));
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void theRootReadmeLinksTheDocsAndEachLinkResolves() throws IOException {
        Path readme = ROOT.resolve("README.md");
        assertThat(Files.readString(readme, StandardCharsets.UTF_8)).contains("](docs/errors.md)");
        assertThat(brokenLinks(readme, true)).isEmpty();
    }
}
