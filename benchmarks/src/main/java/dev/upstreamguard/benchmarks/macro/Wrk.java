package dev.upstreamguard.benchmarks.macro;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code wrk} once ({@code -t<threads> -c<connections> -d<seconds>s}) with one of the Lua
 * scripts in {@code benchmarks/macro/}, which print one {@code UGSTATS key=value …} line (and, for the status
 * script, one {@code UGANSWERS status:token=count …} line) from wrk's {@code done()} callback. Each run is
 * bounded: wrk is killed 30 s after its duration.
 *
 * @param executable the wrk binary
 * @param threads    wrk threads ({@code -t})
 * @param connections open connections ({@code -c})
 */
public record Wrk(Path executable, int threads, int connections) {

    /** What one run measured. */
    public record Result(double seconds, long requests, long p50Us, long p90Us, long p99Us, long maxUs, long socketErrors,
                         long non2xx3xx, Map<String, Long> answers) {
    }

    /** Runs wrk for {@code seconds} against {@code url} with {@code script}; its output goes to {@code log} too. */
    public Result run(String url, int seconds, Path script, Path log) throws IOException, InterruptedException {
        List<String> command = List.of(executable.toString(), "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "5s", "-s", script.toString(), url);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out;
        try {
            out = wrk.getInputStream().readAllBytes();
            if (!wrk.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                throw new IOException("wrk did not finish within " + (seconds + 30) + " s");
            }
        } finally {
            wrk.destroyForcibly();
        }
        String text = new String(out, StandardCharsets.UTF_8);
        Files.writeString(log, "$ " + String.join(" ", command) + "\n" + text + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Map<String, String> stats = fields(text, "UGSTATS ");
        if (stats.isEmpty()) {
            throw new IOException("wrk printed no UGSTATS line (exit " + wrk.exitValue() + "): " + text);
        }
        Map<String, Long> answers = new LinkedHashMap<>();
        fields(text, "UGANSWERS ").forEach((k, v) -> answers.put(k, Long.parseLong(v)));
        return new Result(Long.parseLong(stats.get("duration_us")) / 1e6, Long.parseLong(stats.get("requests")),
                Long.parseLong(stats.get("p50_us")), Long.parseLong(stats.get("p90_us")),
                Long.parseLong(stats.get("p99_us")), Long.parseLong(stats.get("max_us")),
                Long.parseLong(stats.get("connect_errors")) + Long.parseLong(stats.get("read_errors"))
                        + Long.parseLong(stats.get("write_errors")) + Long.parseLong(stats.get("timeouts")),
                Long.parseLong(stats.get("non2xx3xx")), answers);
    }

    private static Map<String, String> fields(String text, String prefix) {
        Map<String, String> fields = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                for (String pair : line.substring(prefix.length()).trim().split(" ")) {
                    int eq = pair.lastIndexOf('=');
                    if (eq > 0) {
                        fields.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
            }
        }
        return fields;
    }
}
