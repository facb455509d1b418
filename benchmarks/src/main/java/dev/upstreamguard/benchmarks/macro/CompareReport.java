package dev.upstreamguard.benchmarks.macro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Markdown tables of a load run over two builds ({@code LoadRun --builds=before=…,after=…}, targets named
 * {@code <build>:<target>}): per packaging and build, the stock and the guarded proxy's CPU µs and heap bytes
 * per request, the guarded-minus-stock overhead, and how the overhead changed from the first build to the
 * second. Every figure is a median over the throughput rounds; the overheads are computed per round (the
 * stock and guarded samples of one build are adjacent in a round) and then their median taken, so slow
 * drift of the machine's load cancels. Run on its own: {@code CompareReport <samples.tsv> <out.md>}.
 */
public final class CompareReport {
    private static final List<String> PACKAGINGS = List.of("jetty", "gateway");

    private CompareReport() {
    }

    /** Regenerates the report from a TSV. */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), Path.of(args[1]));
    }

    /** Writes the markdown for the samples in {@code tsv}. */
    public static void write(Path tsv, Path markdown) throws IOException {
        Files.writeString(markdown, render(MacroResults.read(tsv), builds(tsv)));
    }

    /** The build labels in the order they first appear in the TSV. */
    static List<String> builds(Path tsv) throws IOException {
        Set<String> labels = new LinkedHashSet<>();
        for (String line : Files.readAllLines(tsv)) {
            String[] f = line.split("\t", -1);
            if (f.length > 2 && !line.startsWith("phase\t") && f[2].contains(":")) {
                labels.add(f[2].substring(0, f[2].indexOf(':')));
            }
        }
        return new ArrayList<>(labels);
    }

    static String render(MacroResults r, List<String> builds) {
        StringBuilder md = new StringBuilder();
        md.append("| packaging | build | stock CPU µs/req | guarded CPU µs/req | CPU guarded − stock µs (÷ stock) | "
                + "stock B/req | guarded B/req | B guarded − stock | req/s stock / guarded |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String p : PACKAGINGS) {
            for (String b : builds) {
                String stock = b + ":" + p + "-stock";
                String guarded = b + ":" + p + "-guarded";
                if (r.of("throughput", stock).isEmpty() || r.of("throughput", guarded).isEmpty()) {
                    continue;
                }
                double cpuOverhead = MacroResults.median(differences(r, stock, guarded, Sample::cpuUsPerRequest));
                double cpuRatio = MacroResults.median(r.ratios(new String[] {stock, guarded}, Sample::cpuUsPerRequest));
                md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %+.1f (%.3f) | %.0f | %.0f | %+.0f | %.0f / %.0f |%n",
                        p, b, r.median(stock, Sample::cpuUsPerRequest), r.median(guarded, Sample::cpuUsPerRequest),
                        cpuOverhead, cpuRatio, r.median(stock, Sample::bytesPerRequest),
                        r.median(guarded, Sample::bytesPerRequest),
                        MacroResults.median(differences(r, stock, guarded, Sample::bytesPerRequest)),
                        r.median(stock, Sample::rps), r.median(guarded, Sample::rps)));
            }
        }
        if (builds.size() == 2) {
            String before = builds.get(0);
            String after = builds.get(1);
            md.append(String.format(Locale.ROOT, "%n**%s − %s** (per round: the %s build's figure minus the %s build's"
                    + " in the same round; median, min–max over the rounds)%n%n", after, before, after, before));
            md.append("| packaging | stock CPU µs/req | guarded CPU µs/req | overhead CPU µs/req | stock B/req | guarded B/req | overhead B/req |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|\n");
            for (String p : PACKAGINGS) {
                String bs = before + ":" + p + "-stock";
                String bg = before + ":" + p + "-guarded";
                String as = after + ":" + p + "-stock";
                String ag = after + ":" + p + "-guarded";
                if (r.of("throughput", bs).isEmpty() || r.of("throughput", as).isEmpty()) {
                    continue;
                }
                md.append("| ").append(p);
                for (boolean cpu : new boolean[] {true, false}) {
                    ToDoubleFunction<Sample> metric = cpu ? Sample::cpuUsPerRequest : Sample::bytesPerRequest;
                    String format = cpu ? "%+.1f (%+.1f…%+.1f)" : "%+.0f (%+.0f…%+.0f)";
                    List<Double> stock = differences(r, bs, as, metric);
                    List<Double> guarded = differences(r, bg, ag, metric);
                    List<Double> overhead = new ArrayList<>();
                    List<Double> beforeOverhead = differences(r, bs, bg, metric);
                    List<Double> afterOverhead = differences(r, as, ag, metric);
                    for (int i = 0; i < beforeOverhead.size(); i++) {
                        overhead.add(afterOverhead.get(i) - beforeOverhead.get(i));
                    }
                    for (List<Double> d : List.of(stock, guarded, overhead)) {
                        double[] range = MacroResults.range(d);
                        md.append(String.format(Locale.ROOT, " | " + format, MacroResults.median(d), range[0], range[1]));
                    }
                }
                md.append(" |\n");
            }
        }
        md.append("\n**Every throughput sample** (wrk -t1, 5 s unless the run said otherwise)\n\n");
        md.append("| round | target | req/s | p50 ms | p99 ms | CPU µs/req | heap B/req | other processes' CPU ms/s |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (int round : r.rounds()) {
            for (String t : LoadRun.order(LoadRun.TARGETS, builds)) {
                r.find("throughput", round, t).ifPresent(s -> md.append(String.format(Locale.ROOT,
                        "| %d | %s | %.0f | %.2f | %.2f | %.1f | %.0f | %.0f |%n", round, t, s.rps(), s.p50Us() / 1000.0,
                        s.p99Us() / 1000.0, s.cpuUsPerRequest(), s.bytesPerRequest(), s.otherCpuMsPerS())));
            }
        }
        return md.toString();
    }

    /** Per round, {@code metric(b) − metric(a)} ({@code NaN} where either sample is missing). */
    static List<Double> differences(MacroResults r, String a, String b, ToDoubleFunction<Sample> metric) {
        List<Double> result = new ArrayList<>();
        for (int round : r.rounds()) {
            Optional<Sample> x = r.find("throughput", round, a);
            Optional<Sample> y = r.find("throughput", round, b);
            result.add(x.isPresent() && y.isPresent()
                    ? metric.applyAsDouble(y.get()) - metric.applyAsDouble(x.get()) : Double.NaN);
        }
        return result;
    }
}
