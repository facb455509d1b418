package dev.upstreamguard.benchmarks.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The soak run: each packaging in turn (the guarded Jetty proxy, the guarded Spring Cloud Gateway, a servlet
 * application behind the filter), in this JVM on loopback, under {@code --connections} concurrent clients for
 * {@code --minutes}, against two misbehaving upstreams of which B flaps; with a Redis-backed rate limit
 * (fail open), Redis is killed at 40 % of the run and restarted at 60 %. Prints a summary, writes a Markdown
 * report and exits 1 when any answer was unexpected or any POST reached an upstream twice.
 *
 * <p>Arguments: {@code --minutes 5} (fractions allowed), {@code --connections 64},
 * {@code --packagings jetty,gateway,servlet}, {@code --flap-seconds 10}, {@code --report <file>}.
 */
public final class SoakRun {

    private SoakRun() {
    }

    /** Runs the soak; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        double minutes = Double.parseDouble(opts.getOrDefault("minutes", "5"));
        int connections = Integer.parseInt(opts.getOrDefault("connections", "64"));
        double flapSeconds = Double.parseDouble(opts.getOrDefault("flap-seconds", "10"));
        List<String> packagings = List.of(opts.getOrDefault("packagings", "jetty,gateway,servlet").split(","));
        Path report = Path.of(opts.getOrDefault("report", "benchmarks/target/soak/soak-report.md"));
        if (minutes <= 0 || minutes > 60 || connections < 1 || connections > 1024 || flapSeconds <= 0) {
            throw new IllegalArgumentException("--minutes must be in (0, 60], --connections in 1-1024, --flap-seconds > 0");
        }
        Duration run = Duration.ofMillis(Math.round(minutes * 60_000));
        Duration warmUp = Duration.ofMillis(Math.min(10_000, Math.max(2_000, run.toMillis() / 10)));

        StringBuilder md = new StringBuilder();
        md.append("Soak run of ").append(Instant.now()).append(": ").append(minutes).append(" min per packaging, ")
                .append(connections).append(" connections, B flapping every ").append(flapSeconds).append(" s, warm-up ")
                .append(warmUp.toMillis()).append(" ms; Java ").append(System.getProperty("java.version")).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs, -Xmx")
                .append(Runtime.getRuntime().maxMemory() / 1048576).append("m\n\n");
        boolean failed = false;
        for (String name : packagings) {
            SoakReport r = runOne(name.trim(), run, warmUp, connections, flapSeconds);
            failed |= r.failed();
            md.append(r.markdown()).append('\n');
            System.out.println(r.summary());
        }
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, md);
        System.out.println("report: " + report);
        System.out.println(failed ? "SOAK FAILED: unexpected answers or duplicated POSTs (see above)" : "SOAK PASSED");
        System.exit(failed ? 1 : 0);
    }

    private static SoakReport runOne(String name, Duration run, Duration warmUp, int connections, double flapSeconds)
            throws Exception {
        System.out.println("== " + name + ": starting");
        try (SoakUpstreams upstreams = new SoakUpstreams()) {
            GuardEvents events = new GuardEvents();
            SoakRedis redis = "servlet".equals(name) ? null : new SoakRedis();
            String redisUri = redis == null ? null : redis.uri();
            Packaging packaging = switch (name) {
                case "jetty" -> new JettyPackaging(upstreams, redisUri, events);
                case "gateway" -> new GatewayPackaging(upstreams, redisUri, events);
                case "servlet" -> new ServletPackaging(upstreams);
                default -> throw new IllegalArgumentException("--packagings: unknown '" + name + "'; jetty, gateway, servlet");
            };
            SoakReport report = new SoakReport(packaging, upstreams, run, flapSeconds);
            try {
                LoadGenerator load = new LoadGenerator(packaging, connections, report::record);
                load.run(warmUp);
                Thread.sleep(2000); // let stalled and timed-out exchanges end before measuring
                report.start = ProcessProbe.sample();
                report.keysStart = packaging.limiterKeys();
                report.socketsStart = Sockets.byPort(upstreams.ports(packaging));
                System.out.println("== " + name + ": warm-up done, start " + report.start + "; running " + run);
                upstreams.startFlapping(flapSeconds);
                CompletableFuture<Void> outage = redis == null ? CompletableFuture.completedFuture(null)
                        : CompletableFuture.runAsync(() -> outage(redis, run, events, report));
                long started = System.nanoTime();
                report.runStarted = started;
                load.run(run);
                report.runNanos = System.nanoTime() - started;
                upstreams.stopFlapping();
                outage.get(2, TimeUnit.MINUTES);
                Thread.sleep(2000);
                report.end = ProcessProbe.sample();
                report.keysEnd = packaging.limiterKeys();
                report.socketsEnd = Sockets.byPort(upstreams.ports(packaging));
                report.finish(events);
            } finally {
                packaging.close();
                if (redis != null) {
                    redis.close();
                }
            }
            return report;
        }
    }

    /** Kills Redis at 40 % of the run, restarts it at 60 % and measures how long until the guard uses it again. */
    private static void outage(SoakRedis redis, Duration run, GuardEvents events, SoakReport report) {
        try {
            Thread.sleep(run.toMillis() * 4 / 10); // the schedule of the outage
            report.redisKilled = System.nanoTime();
            redis.kill();
            report.eventsBeforeKill = events.count();
            Thread.sleep(run.toMillis() * 2 / 10);
            report.eventsBeforeRestart = events.count();
            redis.restart();
            report.redisRestarted = System.nanoTime();
            report.untilFirstKey = redis.untilFirstKey(Duration.ofSeconds(60));
        } catch (IOException e) {
            report.redisProblem = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> list = new ArrayList<>(List.of(args));
        for (int i = 0; i < list.size(); i++) {
            String a = list.get(i);
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                opts.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < list.size()) {
                opts.put(a.substring(2), list.get(++i));
            } else {
                throw new IllegalArgumentException("'" + a + "' needs a value");
            }
        }
        for (String key : opts.keySet()) {
            if (!List.of("minutes", "connections", "packagings", "flap-seconds", "report").contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key
                        + "; known: --minutes, --connections, --packagings, --flap-seconds, --report");
            }
        }
        return opts;
    }
}
