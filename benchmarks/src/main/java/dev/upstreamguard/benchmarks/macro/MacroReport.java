package dev.upstreamguard.benchmarks.macro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Markdown tables of one load run ({@code macro.md}, pasted into BENCHMARKS.md): every throughput sample,
 * per-target medians, the guarded/stock ratios per round with their median and spread against the targets,
 * and the outage windows with their answers. Run on its own: {@code MacroReport <samples.tsv> <out.md>}.
 */
public final class MacroReport {
    /** A round counts as quiet when other processes used less than this during both samples of a pair. */
    static final double QUIET_MS_PER_S = 100;
    /** Throughput ratio at least, p99 ratio at most (issue 7). */
    private static final double[][] GOALS = {{0.97, 1.05}, {0.95, 1.10}};

    private MacroReport() {
    }

    /** Regenerates the report from a TSV. */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), Path.of(args[1]));
    }

    /** Writes the markdown for the samples in {@code tsv}. */
    public static void write(Path tsv, Path markdown) throws IOException {
        MacroResults r = MacroResults.read(tsv);
        StringBuilder md = new StringBuilder();
        md.append("### Throughput rounds (`/ok/`, wrk -t1 -c32, 5 s each)\n\n");
        md.append("| round | target | req/s | p50 ms | p99 ms | target CPU µs/req | heap B/req | other processes' CPU ms/s |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (int round : r.rounds()) {
            for (String t : LoadRun.TARGETS) {
                r.find("throughput", round, t).ifPresent(s -> md.append(String.format(Locale.ROOT,
                        "| %d | %s | %.0f | %.2f | %.2f | %.1f | %s | %.0f |%n", round, t, s.rps(), s.p50Us() / 1000.0,
                        s.p99Us() / 1000.0, s.cpuUsPerRequest(), bytes(s), s.otherCpuMsPerS())));
            }
        }
        md.append("\n### Medians over the rounds\n\n");
        md.append("| target | req/s | p50 ms | p99 ms | CPU µs/req | heap B/req | req/s ÷ nginx |\n|---|---:|---:|---:|---:|---:|---:|\n");
        double nginx = r.median("nginx", Sample::rps);
        for (String t : LoadRun.TARGETS) {
            double alloc = r.median(t, Sample::bytesPerRequest);
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %.1f | %s | %.2f |%n", t, r.median(t, Sample::rps),
                    r.median(t, s -> s.p50Us() / 1000.0), r.median(t, s -> s.p99Us() / 1000.0),
                    r.median(t, Sample::cpuUsPerRequest), alloc < 0 ? "–" : String.format(Locale.ROOT, "%.0f", alloc),
                    r.median(t, Sample::rps) / nginx));
        }
        md.append("\n### Guarded ÷ stock, per round (same round, adjacent samples)\n\n");
        md.append("| pair | metric | per round | median | min–max | goal | met? |\n|---|---|---|---:|---|---|---|\n");
        for (int i = 0; i < MacroResults.PAIRS.size(); i++) {
            String[] pair = MacroResults.PAIRS.get(i);
            String name = pair[1].substring(0, pair[1].indexOf('-'));
            double minRps = GOALS[i][0];
            double maxP99 = GOALS[i][1];
            ratioRow(md, r, pair, name, "throughput", Sample::rps, "≥ " + minRps, m -> m >= minRps);
            ratioRow(md, r, pair, name, "p50", s -> (double) s.p50Us(), "", null);
            ratioRow(md, r, pair, name, "p99", s -> (double) s.p99Us(), "≤ " + maxP99, m -> m <= maxP99);
            ratioRow(md, r, pair, name, "CPU per request", Sample::cpuUsPerRequest, "", null);
        }
        md.append(String.format(Locale.ROOT, "%n### The same, quiet rounds only (other processes below %.0f ms/s of CPU during both"
                + " samples of the pair; `NaN`: round left out)%n%n", QUIET_MS_PER_S));
        md.append("| pair | metric | per round | median | min–max | goal | met? |\n|---|---|---|---:|---|---|---|\n");
        for (int i = 0; i < MacroResults.PAIRS.size(); i++) {
            String[] pair = MacroResults.PAIRS.get(i);
            String name = pair[1].substring(0, pair[1].indexOf('-'));
            double minRps = GOALS[i][0];
            double maxP99 = GOALS[i][1];
            quietRow(md, r, pair, name, "throughput", Sample::rps, "≥ " + minRps, m -> m >= minRps);
            quietRow(md, r, pair, name, "p99", s -> (double) s.p99Us(), "≤ " + maxP99, m -> m <= maxP99);
            quietRow(md, r, pair, name, "CPU per request", Sample::cpuUsPerRequest, "", null);
        }
        md.append("\n### Outage (`/dead/`: the only upstream refuses; `/half/`: round-robin over a live and a refusing upstream)\n\n");
        md.append("| target | route | window | req/s | p50 ms | p99 ms | answers (status:Proxy-Status error = share) |\n");
        md.append("|---|---|---:|---:|---:|---:|---|\n");
        for (String t : LoadRun.TARGETS) {
            for (String phase : List.of("outage-dead", "outage-half")) {
                for (Sample s : r.of(phase, t)) {
                    md.append(String.format(Locale.ROOT, "| %s | /%s/ | %d | %.0f | %.2f | %.2f | %s |%n", t,
                            phase.substring(phase.indexOf('-') + 1), s.round(), s.rps(), s.p50Us() / 1000.0,
                            s.p99Us() / 1000.0, answers(s)));
                }
            }
        }
        Files.writeString(markdown, md.toString());
    }

    private static void ratioRow(StringBuilder md, MacroResults r, String[] pair, String name, String metric,
                                 ToDoubleFunction<Sample> f, String goal, java.util.function.DoublePredicate met) {
        row(md, r.ratios(pair, f), name, metric, goal, met);
    }

    private static void quietRow(StringBuilder md, MacroResults r, String[] pair, String name, String metric,
                                 ToDoubleFunction<Sample> f, String goal, java.util.function.DoublePredicate met) {
        row(md, r.ratios(pair, f, QUIET_MS_PER_S), name, metric, goal, met);
    }

    private static void row(StringBuilder md, List<Double> ratios, String name, String metric, String goal,
                            java.util.function.DoublePredicate met) {
        double median = MacroResults.median(ratios);
        double[] range = MacroResults.range(ratios);
        StringBuilder each = new StringBuilder();
        for (double x : ratios) {
            each.append(each.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", x));
        }
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | **%.3f** | %.2f–%.2f | %s | %s |%n", name, metric, each,
                median, range[0], range[1], goal.isEmpty() ? "–" : goal,
                met == null || Double.isNaN(median) ? "–" : met.test(median) ? "yes" : "**no**"));
    }

    private static String bytes(Sample s) {
        return s.bytesPerRequest() < 0 ? "–" : String.format(Locale.ROOT, "%.0f", s.bytesPerRequest());
    }

    private static String answers(Sample s) {
        long total = s.answers().values().stream().mapToLong(Long::longValue).sum();
        StringBuilder b = new StringBuilder();
        s.answers().entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).forEach(e ->
                b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(String.format(Locale.ROOT, " = %.1f %%",
                        100.0 * e.getValue() / Math.max(1, total))));
        if (s.socketErrors() > 0) {
            b.append(", socket errors ").append(s.socketErrors());
        }
        return b.length() == 0 ? "–" : b.toString();
    }
}
