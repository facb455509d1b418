package dev.upstreamguard.benchmarks.soak;

import dev.upstreamguard.testkit.Fault;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The figures of one packaging's soak run, judged against the test kit's expectations. */
final class SoakReport {
    private final Packaging packaging;
    private final SoakUpstreams upstreams;
    private final Duration run;
    private final double flapSeconds;

    ProcessProbe start;
    ProcessProbe end;
    Map<String, Integer> socketsStart = Map.of();
    Map<String, Integer> socketsEnd = Map.of();
    int keysStart = -1;
    int keysEnd = -1;
    volatile long runStarted;
    volatile long runNanos;
    volatile long redisKilled;
    volatile long redisRestarted;
    int eventsBeforeKill;
    int eventsBeforeRestart;
    Duration untilFirstKey;
    String redisProblem;

    private int total;
    private int unexpected;
    private int postDuplicates;
    private int getDuplicates;
    private int flaps;
    private final Map<String, CaseStats> cases = new LinkedHashMap<>();
    private final Map<Fault, int[]> perFault = new LinkedHashMap<>(); // {forwarded by the relays, received by the test kit}
    private static final int LATENCY_SLOTS = 60_001; // one per millisecond
    private final long[] healthyLatency = new long[LATENCY_SLOTS];
    private final long[] outageLatency = new long[LATENCY_SLOTS];
    private int outageAnswers;
    private int outageNotAsExpected;
    private int lateDeliveries;
    private int flapsTolerated;
    private int truncatedWithoutHead;
    private int rateLimited;
    private int backendEvents;
    private Map<String, Integer> backendModes = Map.of();
    private long lastEventAfterRestartMillis = -1;
    private Map<String, Integer> retries = Map.of();
    private Map<String, Integer> health = Map.of();
    private java.util.List<String> internalErrors = java.util.List.of();
    private java.util.List<String> healthTimeline = java.util.List.of();

    /** Per case: answers by kind and deliveries per request. */
    private static final class CaseStats {
        int sent;
        int expected;
        final Map<String, Integer> flap = new TreeMap<>();
        final Map<String, Integer> unexpected = new TreeMap<>();
        final int[] deliveries = new int[3]; // 0, 1, 2 or more
    }

    SoakReport(Packaging packaging, SoakUpstreams upstreams, Duration run, double flapSeconds) {
        this.packaging = packaging;
        this.upstreams = upstreams;
        this.run = run;
        this.flapSeconds = flapSeconds;
        for (Case c : Case.MIX) {
            cases.put(c.label(), new CaseStats());
        }
    }

    /** Judges one answer as it arrives (the workers call this); keeps counts only. */
    synchronized void record(Answer a) {
        total++;
        CaseStats s = cases.get(a.kase().label());
        s.sent++;
        int forwarded = upstreams.takeForwarded(a.id());
        boolean cut = upstreams.takeCut(a.id());
        boolean expected = a.expected() || a.truncatedWithoutHead();
        if (expected) {
            s.expected++;
            if (!a.expected()) {
                truncatedWithoutHead++;
            }
        } else if (a.flapLike(packaging.clientChoosesUpstream()) && flapMayExplain(a, cut)) {
            s.flap.merge(a.summary() + ", delivered " + forwarded + "x", 1, Integer::sum);
            flapsTolerated++;
        } else {
            s.unexpected.merge(a.summary() + ", delivered " + forwarded + "x", 1, Integer::sum);
            unexpected++;
        }
        if (a.status() == 429) {
            rateLimited++;
        }
        if (a.kase().mayBeDelivered()) {
            s.deliveries[Math.min(forwarded, 2)]++;
            if (forwarded > 1) {
                if ("POST".equals(a.kase().method())) {
                    postDuplicates++;
                } else {
                    getDuplicates++;
                }
            }
            perFault.computeIfAbsent(a.kase().fault(), f -> new int[2])[0] += forwarded;
        }
        long killed = redisKilled;
        long restarted = redisRestarted;
        boolean inOutage = killed != 0 && a.started() - killed >= 0 && (restarted == 0 || a.started() - restarted <= 0);
        if (inOutage) {
            outageAnswers++;
            if (!expected) {
                outageNotAsExpected++;
            }
        }
        if (expected && "GET control-ok".equals(a.kase().label())) {
            (inOutage ? outageLatency : healthyLatency)[(int) Math.min(LATENCY_SLOTS - 1, a.latencyMillis())]++;
        }
    }

    /** After the run: the test kit's counts, the backend events, late deliveries. */
    synchronized void finish(GuardEvents events) {
        flaps = upstreams.flaps();
        lateDeliveries = upstreams.remembered();
        perFault.forEach((f, counts) -> counts[1] = upstreams.received(f));
        backendEvents = events.count();
        backendModes = events.byMode();
        retries = events.retries();
        health = events.health();
        internalErrors = events.internalErrors();
        healthTimeline = events.healthTimeline();
        if (redisRestarted != 0) {
            lastEventAfterRestartMillis = Math.max(0, (events.lastNanos() - redisRestarted) / 1_000_000);
        }
    }

    /** A refused or cut connection explains the answer only when B was down during it (or cut its connection). */
    private boolean flapMayExplain(Answer a, boolean cut) {
        if (packaging.clientChoosesUpstream()) {
            return a.upstreamB() && upstreams.bDownDuring(a.started(), a.ended());
        }
        return cut || upstreams.bDownDuring(a.started(), a.ended());
    }

    boolean failed() {
        return unexpected > 0 || postDuplicates > 0;
    }

    String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("== %s: %d requests in %.1f s (%.0f/s), %d unexpected, %d POSTs delivered twice,"
                        + " %d GETs delivered twice, %d flap answers tolerated, %d truncations seen before their head, B flapped %d times%n",
                packaging.name(), total, runNanos / 1e9, total / Math.max(0.001, runNanos / 1e9), unexpected,
                postDuplicates, getDuplicates, flapsTolerated, truncatedWithoutHead, flaps));
        cases.forEach((label, s) -> s.unexpected.forEach((answer, n) ->
                b.append("   UNEXPECTED ").append(label).append(" -> ").append(answer).append(": ").append(n).append('\n')));
        b.append(String.format("   fds %d -> %d (%+.1f %%), threads %d -> %d (%+.1f %%), heap after GC %.1f -> %.1f MiB (%+.1f %%)%n",
                start.fds(), end.fds(), ProcessProbe.change(start.fds(), end.fds()), start.threads(), end.threads(),
                ProcessProbe.change(start.threads(), end.threads()), start.heapMiB(), end.heapMiB(),
                ProcessProbe.change(start.heapMiB(), end.heapMiB())));
        b.append("   threads that changed: ").append(ProcessProbe.threadChanges(start, end)).append('\n');
        b.append("   retries: ").append(retries).append("\n   passive health: ").append(health).append(' ')
                .append(healthTimeline).append('\n');
        internalErrors.forEach(e -> b.append("   500 from the guard: ").append(e).append('\n'));
        b.append("   sockets start ").append(socketsStart).append("\n   sockets end   ").append(socketsEnd).append('\n');
        if (lateDeliveries > 0) {
            b.append("   request ids forwarded after their answer: ").append(lateDeliveries).append('\n');
        }
        if (packaging.redisBacked()) {
            b.append("   redis: ").append(redisLine()).append('\n');
        }
        if (keysEnd >= 0) {
            b.append("   limiter key map: ").append(keysStart).append(" -> ").append(keysEnd).append('\n');
        }
        return b.toString();
    }

    private String redisLine() {
        if (redisProblem != null) {
            return "outage not run: " + redisProblem;
        }
        return String.format("killed at %.1f s, restarted at %.1f s; %d fail-mode decisions %s (%d before the kill);"
                        + " %d requests sent while Redis was down, %d of them not answered as the test kit expects (flap-explained included), %d answers 429 in the whole run; first bucket in the fresh Redis %s"
                        + " after the restart; last fail-mode decision %d ms after the restart",
                (redisKilled - runStarted) / 1e9, (redisRestarted - runStarted) / 1e9, backendEvents, backendModes,
                eventsBeforeKill, outageAnswers, outageNotAsExpected, rateLimited,
                untilFirstKey == null ? "never (60 s)" : untilFirstKey.toMillis() + " ms", lastEventAfterRestartMillis);
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("### ").append(packaging.name()).append("\n\n");
        b.append(String.format("%d requests in %.1f s of run plus warm-up (%.0f/s); **%d unexpected**; POSTs delivered"
                        + " twice: **%d**; GETs delivered twice: %d; answers a flap explains (B down during the request"
                        + " or its connection cut): %d; B went down or up %d times (every %.0f s); truncated responses the client"
                        + " saw end before their head (counted as expected: it never saw them complete): %d.%n%n",
                total, runNanos / 1e9, total / Math.max(0.001, runNanos / 1e9), unexpected, postDuplicates,
                getDuplicates, flapsTolerated, flaps, flapSeconds, truncatedWithoutHead));
        b.append("| request | sent | expected (status, error) | as expected | flap-explained | unexpected | delivered 0× / 1× / ≥2× |\n");
        b.append("|---|---:|---|---:|---|---|---|\n");
        for (Case c : Case.MIX) {
            CaseStats s = cases.get(c.label());
            String exp = c.scenario().expectedStatus() + (c.scenario().expectedError() == null ? ""
                    : " " + c.scenario().expectedError()) + " (" + c.scenario().outcome().name().toLowerCase() + ")";
            b.append("| ").append(c.label()).append(" | ").append(s.sent).append(" | ").append(exp).append(" | ")
                    .append(s.expected).append(" | ").append(join(s.flap)).append(" | ").append(join(s.unexpected))
                    .append(" | ").append(c.mayBeDelivered() ? s.deliveries[0] + " / " + s.deliveries[1] + " / " + s.deliveries[2]
                            : "never delivered").append(" |\n");
        }
        b.append("\nDeliveries counted twice over: by the relays per request id, and by the test kit"
                + " (`MisbehavingUpstream.requestCount`) per fault path:\n\n| fault path | forwarded by the relays | received by the upstreams |\n|---|---:|---:|\n");
        perFault.forEach((f, counts) -> b.append("| `").append(f.path()).append("` | ").append(counts[0]).append(" | ")
                .append(counts[1]).append(" |\n"));
        b.append(String.format("%nProcess (one JVM: packaging, upstreams, relays, load generator), start → end: open fds %d → %d"
                        + " (%+.1f %%), live threads %d → %d (%+.1f %%), heap after GC %.1f → %.1f MiB (%+.1f %%).%n",
                start.fds(), end.fds(), ProcessProbe.change(start.fds(), end.fds()), start.threads(), end.threads(),
                ProcessProbe.change(start.threads(), end.threads()), start.heapMiB(), end.heapMiB(),
                ProcessProbe.change(start.heapMiB(), end.heapMiB())));
        b.append("Threads whose count changed: ").append(ProcessProbe.threadChanges(start, end)).append(".\n");
        b.append("Retry decisions: ").append(retries.isEmpty() ? "none" : retries).append("; passive health: ")
                .append(health.isEmpty() ? "no change" : health + ", in time: " + healthTimeline).append(".\n");
        internalErrors.forEach(e -> b.append("\n500 answered by the guard (first five): `").append(e.replace('`', '\'')).append("`\n"));
        b.append("Loopback sockets by port (`→x`: connected to x, `x←`: accepted by x), start: ").append(socketsStart)
                .append("; end: ").append(socketsEnd).append(".\n");
        b.append("Request ids forwarded after their answer was judged: ").append(lateDeliveries).append(".\n");
        b.append(keysEnd >= 0 ? "In-memory limiter key map: " + keysStart + " → " + keysEnd + " keys.\n"
                : "In-memory limiter key map: not applicable (limits in Redis).\n");
        b.append("GET control-ok latency (ms) p50/p99/max: ").append(percentiles(healthyLatency));
        if (packaging.redisBacked()) {
            b.append("; during the Redis outage: ").append(percentiles(outageLatency));
            b.append(".\n\nRedis (`limits.redis.failure-mode=allow`): ").append(redisLine()).append(".\n");
        } else {
            b.append(".\n");
        }
        return b.toString();
    }

    private static String join(Map<String, Integer> m) {
        if (m.isEmpty()) {
            return "0";
        }
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.length() == 0 ? "" : "; ").append(v).append("× ").append(k));
        return b.toString();
    }

    /** p50/p99/max of a histogram with one slot per millisecond. */
    private static String percentiles(long[] slots) {
        long n = 0;
        for (long c : slots) {
            n += c;
        }
        if (n == 0) {
            return "none";
        }
        return at(slots, (n + 1) / 2) + "/" + at(slots, (long) Math.ceil(n * 0.99)) + "/" + at(slots, n);
    }

    private static int at(long[] slots, long rank) {
        long seen = 0;
        for (int ms = 0; ms < slots.length; ms++) {
            seen += slots[ms];
            if (seen >= rank) {
                return ms;
            }
        }
        return slots.length - 1;
    }
}
