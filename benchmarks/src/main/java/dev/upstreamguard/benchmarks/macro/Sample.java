package dev.upstreamguard.benchmarks.macro;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One wrk run against one target, with the target's CPU and heap use over the same interval.
 *
 * @param phase       {@code warmup}, {@code throughput}, {@code outage-dead} or {@code outage-half}
 * @param round       the round (1-based) in the throughput phase; the window (1, 2) in the outage phases
 * @param target      the target's name (e.g. {@code jetty-stock})
 * @param seconds     wrk's measured duration
 * @param requests    responses completed
 * @param p50Us       median latency, µs (wrk's histogram)
 * @param p90Us       90th percentile, µs
 * @param p99Us       99th percentile, µs
 * @param maxUs       the slowest response, µs
 * @param socketErrors connect, read, write errors and timeouts, summed
 * @param non2xx3xx   responses with another status
 * @param cpuMsPerS   the target's CPU time (user + system, all its threads and processes) per second of load
 * @param allocBytes  heap bytes the target allocated over the sample ({@code -1}: not a JVM)
 * @param otherCpuMsPerS CPU time per second of every process outside the load run (other users of the
 *                    machine) over the sample: the noise indicator
 * @param answers     {@code status:proxy-status error token} → count ({@code -} without Proxy-Status);
 *                    only for the outage phases, empty otherwise
 */
public record Sample(String phase, int round, String target, double seconds, long requests, long p50Us, long p90Us,
                     long p99Us, long maxUs, long socketErrors, long non2xx3xx, double cpuMsPerS, long allocBytes,
                     double otherCpuMsPerS, Map<String, Long> answers) {

    /** Keeps the answers sorted by key. */
    public Sample {
        answers = new TreeMap<>(answers);
    }

    /** Requests per second. */
    public double rps() {
        return seconds > 0 ? requests / seconds : 0;
    }

    /** The target's CPU time per request, µs. */
    public double cpuUsPerRequest() {
        return requests > 0 ? cpuMsPerS * seconds * 1000 / requests : 0;
    }

    /** Heap bytes allocated per request ({@code -1}: not measured). */
    public double bytesPerRequest() {
        return allocBytes < 0 || requests == 0 ? -1 : (double) allocBytes / requests;
    }

    /** The TSV header matching {@link #toTsv()}. */
    public static String tsvHeader() {
        return "phase\tround\ttarget\tseconds\trequests\tp50_us\tp90_us\tp99_us\tmax_us\tsocket_errors\tnon2xx3xx"
                + "\tcpu_ms_per_s\talloc_bytes\tother_cpu_ms_per_s\tanswers";
    }

    /** One TSV line; answers as {@code key=count} separated by spaces. */
    public String toTsv() {
        StringBuilder a = new StringBuilder();
        answers.forEach((k, v) -> a.append(a.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return String.join("\t", phase, Integer.toString(round), target, String.format(Locale.ROOT, "%.3f", seconds),
                Long.toString(requests), Long.toString(p50Us), Long.toString(p90Us), Long.toString(p99Us),
                Long.toString(maxUs), Long.toString(socketErrors), Long.toString(non2xx3xx),
                String.format(Locale.ROOT, "%.1f", cpuMsPerS), Long.toString(allocBytes),
                String.format(Locale.ROOT, "%.1f", otherCpuMsPerS), a.length() == 0 ? "-" : a.toString());
    }

    /** Parses a line written by {@link #toTsv()}. */
    public static Sample fromTsv(String line) {
        String[] f = line.split("\t", -1);
        Map<String, Long> answers = new LinkedHashMap<>();
        if (!f[14].equals("-")) {
            for (String pair : f[14].split(" ")) {
                int eq = pair.lastIndexOf('=');
                answers.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
            }
        }
        return new Sample(f[0], Integer.parseInt(f[1]), f[2], Double.parseDouble(f[3]), Long.parseLong(f[4]),
                Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]),
                Long.parseLong(f[9]), Long.parseLong(f[10]), Double.parseDouble(f[11]), Long.parseLong(f[12]), Double.parseDouble(f[13]), answers);
    }
}
