package dev.upstreamguard.samples.servlet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The alert rules are valid ({@code promtool check rules}) and behave as their unit tests say
 * ({@code promtool test rules monitoring/prometheus-alerts.test.yml}: input series in, alerts out). Needs
 * Prometheus's {@code promtool} on the PATH; skipped with a message otherwise.
 */
class PromtoolRulesTest {
    private static final Path MONITORING = Path.of("..", "monitoring").toAbsolutePath().normalize();
    private static final long TIMEOUT_SECONDS = 120;
    private static final Path PROMTOOL = onPath("promtool");

    @BeforeEach
    void needsPromtool() {
        assumeTrue(PROMTOOL != null, "skipped: promtool is not on the PATH; install Debian's prometheus package"
                + " (apt-get install -y --no-install-recommends prometheus, as .ci/run does) to unit-test the alert rules");
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** Runs promtool in the monitoring directory; the exit code and everything it printed. */
    private static Result promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("promtool", ".out");
        try {
            Process process = new ProcessBuilder(command).directory(MONITORING.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("promtool " + String.join(" ", args) + " took more than " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private record Result(int exit, String output) {
    }

    @Test
    void theRulesAreValid() throws Exception {
        Result check = promtool("check", "rules", "prometheus-alerts.yml");
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 5 rules found");
    }

    @Test
    void theRulesFireExactlyAsTheirUnitTestsSay() throws Exception {
        assertThat(MONITORING.resolve("prometheus-alerts.test.yml")).exists();
        Result test = promtool("test", "rules", "prometheus-alerts.test.yml");
        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }
}
