package dev.upstreamguard.benchmarks.macro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The samples of one load run, read back from {@code macro-samples.tsv}, with the derived numbers the
 * report and the chart show: per-target medians and the guarded/stock ratios of each round.
 */
public final class MacroResults {
    /** The A/B pairs: {stock, guarded}. */
    static final List<String[]> PAIRS = List.of(new String[] {"jetty-stock", "jetty-guarded"},
            new String[] {"gateway-stock", "gateway-guarded"});

    private final List<Sample> samples;

    private MacroResults(List<Sample> samples) {
        this.samples = samples;
    }

    /** Reads a TSV written by the load run. */
    public static MacroResults read(Path tsv) throws IOException {
        List<Sample> samples = new ArrayList<>();
        for (String line : Files.readAllLines(tsv)) {
            if (!line.isBlank() && !line.startsWith("phase\t")) {
                samples.add(Sample.fromTsv(line));
            }
        }
        return new MacroResults(samples);
    }

    /** Samples of {@code phase} for {@code target}, in round order. */
    public List<Sample> of(String phase, String target) {
        List<Sample> result = new ArrayList<>();
        for (Sample s : samples) {
            if (s.phase().equals(phase) && s.target().equals(target)) {
                result.add(s);
            }
        }
        result.sort((a, b) -> Integer.compare(a.round(), b.round()));
        return result;
    }

    /** The sample of {@code phase}, {@code round}, {@code target}, if it ran. */
    public Optional<Sample> find(String phase, int round, String target) {
        return of(phase, target).stream().filter(s -> s.round() == round).findFirst();
    }

    /** The rounds of the throughput phase. */
    public List<Integer> rounds() {
        TreeMap<Integer, Boolean> rounds = new TreeMap<>();
        samples.stream().filter(s -> s.phase().equals("throughput")).forEach(s -> rounds.put(s.round(), true));
        return new ArrayList<>(rounds.keySet());
    }

    /** The median of {@code metric} over the throughput samples of {@code target}. */
    public double median(String target, ToDoubleFunction<Sample> metric) {
        return median(of("throughput", target).stream().mapToDouble(metric).toArray());
    }

    /** Per round, guarded ÷ stock of {@code metric} ({@code NaN} where a sample is missing). */
    public List<Double> ratios(String[] pair, ToDoubleFunction<Sample> metric) {
        return ratios(pair, metric, Double.POSITIVE_INFINITY);
    }

    /**
     * Per round, guarded ÷ stock of {@code metric}, {@code NaN} where a sample is missing or where other
     * processes used more than {@code maxOtherCpuMsPerS} during either sample of the pair.
     */
    public List<Double> ratios(String[] pair, ToDoubleFunction<Sample> metric, double maxOtherCpuMsPerS) {
        List<Double> ratios = new ArrayList<>();
        for (int round : rounds()) {
            Optional<Sample> a = find("throughput", round, pair[0]);
            Optional<Sample> b = find("throughput", round, pair[1]);
            boolean ok = a.isPresent() && b.isPresent() && a.get().otherCpuMsPerS() <= maxOtherCpuMsPerS
                    && b.get().otherCpuMsPerS() <= maxOtherCpuMsPerS;
            ratios.add(ok ? metric.applyAsDouble(b.get()) / metric.applyAsDouble(a.get()) : Double.NaN);
        }
        return ratios;
    }

    /** The median of finite values. */
    public static double median(double[] values) {
        double[] v = java.util.Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The median of finite values. */
    public static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Min and max of finite values. */
    public static double[] range(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).sorted().toArray();
        return v.length == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {v[0], v[v.length - 1]};
    }

    /** Answers grouped by status: {@code 502} → count. */
    public static Map<String, Long> byStatus(Sample s) {
        Map<String, Long> result = new TreeMap<>();
        s.answers().forEach((k, v) -> result.merge(k.substring(0, k.indexOf(':')), v, Long::sum));
        return result;
    }
}
