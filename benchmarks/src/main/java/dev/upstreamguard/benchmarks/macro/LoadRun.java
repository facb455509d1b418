package dev.upstreamguard.benchmarks.macro;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The macro benchmark: load on loopback with Debian's {@code wrk}, against one fast upstream (nginx returning a
 * 64-byte body), through five proxies that all run at once, each in its own process:
 * <ol>
 *   <li>{@code jetty-stock} ({@code ProxyHandler.Reverse}) and {@code jetty-guarded} (jetty-module);</li>
 *   <li>{@code gateway-stock} (Spring Cloud Gateway, without the starter's jar) and {@code gateway-guarded}
 *       (the same application with the starter);</li>
 *   <li>{@code nginx} as a reverse proxy, the reference.</li>
 * </ol>
 * Phases: warm-up (every target, {@code --warmup} samples); throughput rounds on {@code /ok/} where each round
 * runs every target once and every other round runs them in reverse order, so slow drift (other load, heat)
 * cancels in the A/B ratios; then the outage: {@code /dead/} (the only upstream refuses connections) and
 * {@code /half/} (round-robin over the live and the dead upstream), two windows each, counting statuses and
 * {@code Proxy-Status} error tokens. Every wrk run is {@code -t1 -c<connections> -d<seconds>s}.
 *
 * <p>Everything is bounded: each wrk run, each start-up, and the whole run ({@code --max-minutes}); every
 * process started here is stopped at the end (and by a shutdown hook). Loopback only: all addresses are
 * 127.0.0.1 literals, and the JVMs get a hosts file that knows only {@code localhost}.
 *
 * <p>Options ({@code --name=value}): {@code rounds} (8), {@code seconds} (5), {@code connections} (32),
 * {@code warmup} (4), {@code max-minutes} (30), {@code work} ({@code benchmarks/target/macro}), {@code out}
 * ({@code benchmarks/results}), {@code scripts} ({@code benchmarks/macro}), {@code nginx}, {@code wrk}
 * (found on the PATH), {@code heap} ({@code 512m}), {@code skip-outage} ({@code false}), {@code targets} (a
 * comma-separated subset of {@link #TARGETS}), {@code jvm-options} (more options for the proxy JVMs, separated by
 * spaces, e.g. {@code -XX:StartFlightRecording=filename=x.jfr,settings=profile}), {@code builds} (see below).
 *
 * <p><b>Two builds in one run</b> ({@code --builds=before=<checkout>,after=<checkout>}, what
 * {@code benchmarks/macro/compare.sh} passes): each proxy JVM is started once per build, from that checkout's
 * {@code benchmarks/target/classes} and {@code benchmarks/target/macro.classpath} (so each build's proxies run
 * its own core and packagings), and the targets are named {@code <build>:<target>}, e.g.
 * {@code before:jetty-guarded}. nginx is left out unless {@code targets} names it. Each round runs, per
 * packaging, every build's stock then guarded proxy (odd rounds in that order, even rounds reversed), so the
 * load of other users of the machine falls on both builds alike. With {@code --same-libraries=true} every later
 * build's class path keeps only the third-party jars the first build's has (by file name; the project's own
 * {@code upstream-guard-*} jars are always kept), so that libraries the benchmarks module gained for other
 * harnesses (e.g. Spring Cloud LoadBalancer, which auto-configures itself into both gateways) do not count as a
 * change of the guard. The report is {@link CompareReport}'s
 * ({@code compare.md}) instead of {@code macro.md} and the chart.
 */
public final class LoadRun {
    static final List<String> TARGETS = List.of("jetty-stock", "jetty-guarded", "gateway-stock", "gateway-guarded", "nginx");

    private final List<String> selected;
    /** Build label ({@code ""} for the harness's own class path) → the proxies' class path. */
    private final Map<String, String> builds = new java.util.LinkedHashMap<>();
    private final Map<String, String> options;
    private final Path work;
    private final Path out;
    private final Path scripts;
    private final int seconds;
    private final Wrk wrk;
    private final CpuTime cpu;
    private final long deadlineNanos;
    private final List<Process> started = new ArrayList<>();
    private final Map<String, Target> targets = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private final Path tsv;
    private final Path wrkLog;

    private LoadRun(Map<String, String> options) throws IOException, InterruptedException {
        this.options = options;
        this.work = Path.of(option("work", "benchmarks/target/macro"));
        this.out = Path.of(option("out", "benchmarks/results"));
        this.scripts = Path.of(option("scripts", "benchmarks/macro"));
        this.seconds = Integer.parseInt(option("seconds", "5"));
        this.wrk = new Wrk(executable("wrk"), 1, Integer.parseInt(option("connections", "32")));
        this.cpu = new CpuTime(Long.parseLong(run("getconf", "CLK_TCK").trim()));
        this.deadlineNanos = System.nanoTime() + Duration.ofMinutes(Long.parseLong(option("max-minutes", "30"))).toNanos();
        Files.createDirectories(work);
        Files.createDirectories(out);
        List<String> base = options.containsKey("targets") ? List.of(options.get("targets").split(","))
                : options.containsKey("builds") ? TARGETS.subList(0, 4) : TARGETS;
        if (!TARGETS.containsAll(base)) {
            throw new IllegalArgumentException("targets must be some of " + TARGETS + ", was " + base);
        }
        if (options.containsKey("builds")) {
            for (String build : options.get("builds").split(",")) {
                int eq = build.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("builds are label=checkout, separated by commas, got " + build);
                }
                builds.put(build.substring(0, eq), buildClasspath(Path.of(build.substring(eq + 1))));
            }
            if (Boolean.parseBoolean(option("same-libraries", "false"))) {
                String first = builds.values().iterator().next();
                builds.replaceAll((label, cp) -> sameLibraries(first, cp));
            }
        } else {
            builds.put("", System.getProperty("java.class.path"));
        }
        this.selected = order(base, List.copyOf(builds.keySet()));
        this.tsv = out.resolve("macro-samples.tsv");
        this.wrkLog = work.resolve("wrk.log");
        Files.deleteIfExists(wrkLog);
    }

    /** Runs everything; see the class comment. */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("options are --name=value, got " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        LoadRun run = new LoadRun(options);
        Runtime.getRuntime().addShutdownHook(new Thread(run::stopAll));
        try {
            run.execute();
        } finally {
            run.stopAll();
        }
    }

    private void execute() throws Exception {
        Files.writeString(tsv, Sample.tsvHeader() + "\n");
        log("machine: " + run("nproc").trim() + " CPUs, load average " + loadAverage());
        startTargets();
        Path latency = scripts.resolve("latency.lua");
        int warmups = Integer.parseInt(option("warmup", "4"));
        for (int w = 1; w <= warmups; w++) {
            for (String t : selected) {
                measure("warmup", w, t, "/ok/warm", latency);
            }
        }
        int rounds = Integer.parseInt(option("rounds", "8"));
        for (int r = 1; r <= rounds && inTime(); r++) {
            List<String> order = new ArrayList<>(selected);
            if (r % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            for (String t : order) {
                measure("throughput", r, t, "/ok/item", latency);
            }
        }
        if (!Boolean.parseBoolean(option("skip-outage", "false"))) {
            outage();
        }
        if (builds.containsKey("")) {
            MacroReport.write(tsv, out.resolve("macro.md"));
            MacroChart.write(tsv, out.resolve("macro.png"));
            log("done: " + tsv + ", " + out.resolve("macro.md") + ", " + out.resolve("macro.png"));
        } else {
            CompareReport.write(tsv, out.resolve("compare.md"));
            log("done: " + tsv + ", " + out.resolve("compare.md"));
        }
    }

    /** Per target: /dead/ for two windows, then /half/ for two windows, counting answers; then one answer of each. */
    private void outage() throws Exception {
        Path statuses = scripts.resolve("statuses.lua");
        StringBuilder answers = new StringBuilder();
        for (String t : selected) {
            for (String route : List.of("dead", "half")) {
                for (int window = 1; window <= 2 && inTime(); window++) {
                    measure("outage-" + route, window, t, "/" + route + "/item", statuses);
                }
                answers.append(t).append(" /").append(route).append("/item\n");
                for (int i = 0; i < 2; i++) {
                    answers.append("  ").append(targets.get(t).describeAnswer("/" + route + "/item")).append('\n');
                }
            }
        }
        Files.writeString(out.resolve("macro-answers.txt"), answers.toString());
    }

    private void measure(String phase, int round, String targetName, String path, Path script) throws Exception {
        if (!inTime()) {
            log("time is up (--max-minutes): skipping " + phase + " " + targetName);
            return;
        }
        Target target = targets.get(targetName);
        ProcessHandle self = ProcessHandle.current();
        Map<Long, Long> othersBefore = cpu.othersSnapshot(self);
        long allocBefore = target.allocatedBytes();
        double cpuBefore = cpu.millis(target.process().toHandle());
        Wrk.Result r = wrk.run(target.url(path), seconds, script, wrkLog);
        double cpuAfter = cpu.millis(target.process().toHandle());
        long allocAfter = target.allocatedBytes();
        Map<Long, Long> othersAfter = cpu.othersSnapshot(self);
        Sample s = new Sample(phase, round, targetName, r.seconds(), r.requests(), r.p50Us(), r.p90Us(), r.p99Us(),
                r.maxUs(), r.socketErrors(), r.non2xx3xx(), (cpuAfter - cpuBefore) / r.seconds(),
                allocBefore < 0 ? -1 : allocAfter - allocBefore, cpu.otherMillis(othersBefore, othersAfter) / r.seconds(),
                r.answers());
        samples.add(s);
        Files.writeString(tsv, s.toTsv() + "\n", java.nio.file.StandardOpenOption.APPEND);
        log(String.format(Locale.ROOT, "%-10s %-6s %-16s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  cpu %5.0f ms/s  %s  other %4.0f ms/s %s",
                phase, "#" + round, targetName, s.rps(), s.p50Us() / 1000.0, s.p99Us() / 1000.0, s.cpuMsPerS(),
                s.bytesPerRequest() < 0 ? "" : String.format(Locale.ROOT, "%6.0f B/req", s.bytesPerRequest()),
                s.otherCpuMsPerS(), s.answers().isEmpty() ? "" : s.answers().toString()));
    }

    private void startTargets() throws Exception {
        int[] ports = freePorts(4 + 8 * builds.size());
        int upstreamPort = ports[0];
        int deadPort = ports[1]; // closed again at once: nothing listens there, connections are refused
        String live = "http://127.0.0.1:" + upstreamPort;
        String dead = "http://127.0.0.1:" + deadPort;
        Path nginx = executable("nginx");
        started.add(Nginx.start(nginx, work.resolve("nginx-upstream"), Nginx.upstreamConfig(work.resolve("nginx-upstream"), upstreamPort)));
        Path hosts = work.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 localhost\n");
        Path logback = work.resolve("logback-jetty.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        List<String> jvm = new ArrayList<>(List.of("-Xms" + option("heap", "512m"), "-Xmx" + option("heap", "512m"),
                "-Djdk.net.hosts.file=" + hosts.toAbsolutePath()));
        if (options.containsKey("jvm-options")) {
            jvm.addAll(List.of(options.get("jvm-options").trim().split(" +")));
        }
        List<String> jettyJvm = new ArrayList<>(jvm);
        jettyJvm.add("-Dlogback.configurationFile=" + logback.toAbsolutePath());
        int p = 2;
        for (Map.Entry<String, String> build : builds.entrySet()) {
            for (String kind : List.of("stock", "guarded")) {
                int port = ports[p++];
                int stats = ports[p++];
                String name = targetName(build.getKey(), "jetty-" + kind);
                if (!selected.contains(name)) {
                    continue;
                }
                Process jetty = startJvm(name, build.getValue(), jettyJvm, JettyProxyMain.class.getName(),
                        List.of(kind, Integer.toString(port), Integer.toString(stats), live, dead));
                targets.put(name, new Target(name, jetty, port, stats));
            }
            for (String kind : List.of("stock", "guarded")) {
                int port = ports[p++];
                int stats = ports[p++];
                String name = targetName(build.getKey(), "gateway-" + kind);
                if (!selected.contains(name)) {
                    continue;
                }
                String cp = kind.equals("stock") ? withoutStarter(build.getValue()) : build.getValue();
                Process gateway = startJvm(name, cp, jvm, "dev.upstreamguard.benchmarks.macro.gateway.GatewayProxyApp",
                        gatewayArgs(port, stats, live, dead));
                targets.put(name, new Target(name, gateway, port, stats));
            }
        }
        if (selected.contains("nginx")) {
            int nginxPort = ports[p];
            Process proxy = Nginx.start(nginx, work.resolve("nginx-proxy"),
                    Nginx.proxyConfig(work.resolve("nginx-proxy"), nginxPort, upstreamPort, deadPort));
            started.add(proxy);
            targets.put("nginx", new Target("nginx", proxy, nginxPort, -1));
        }
        for (String t : selected) {
            targets.get(t).awaitReady("/ok/ready", Duration.ofSeconds(180));
            log("ready: " + t + " on 127.0.0.1:" + targets.get(t).port() + " pid " + targets.get(t).process().pid());
        }
    }

    /** {@code target} for the harness's own build, {@code label:target} for a build given with {@code --builds}. */
    static String targetName(String build, String target) {
        return build.isEmpty() ? target : build + ":" + target;
    }

    /**
     * The targets of one round in their odd-round order: per packaging (Jetty, gateway, then nginx), every
     * build's stock then guarded proxy, so that each build's pair is adjacent and the builds alternate.
     */
    static List<String> order(List<String> base, List<String> builds) {
        List<String> ordered = new ArrayList<>();
        for (String packaging : List.of("jetty-", "gateway-")) {
            for (String build : builds) {
                for (String t : base) {
                    if (t.startsWith(packaging)) {
                        ordered.add(targetName(build, t));
                    }
                }
            }
        }
        if (base.contains("nginx")) {
            ordered.add("nginx");
        }
        return ordered;
    }

    /** The proxies' class path of a built checkout: its benchmarks classes and their runtime dependencies. */
    static String buildClasspath(Path checkout) throws IOException {
        Path target = checkout.resolve("benchmarks/target");
        Path deps = target.resolve("macro.classpath");
        if (!Files.isRegularFile(deps) || !Files.isDirectory(target.resolve("classes"))) {
            throw new IOException(checkout + " is not built: run ./mvnw -B -o -q -DskipTests package -pl benchmarks -am there");
        }
        return target.resolve("classes").toAbsolutePath() + File.pathSeparator + Files.readString(deps).trim();
    }

    /** {@code classpath} without the third-party jars {@code reference} does not have (see the class comment). */
    static String sameLibraries(String reference, String classpath) {
        java.util.Set<String> known = Arrays.stream(reference.split(File.pathSeparator))
                .map(e -> Path.of(e).getFileName().toString()).collect(Collectors.toSet());
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(e -> {
                    String file = Path.of(e).getFileName().toString();
                    return !file.endsWith(".jar") || file.startsWith("upstream-guard-") || known.contains(file);
                })
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static List<String> gatewayArgs(int port, int stats, String live, String dead) {
        List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--server.address=127.0.0.1",
                "--bench.stats-port=" + stats, "--bench.dead-upstream=" + dead, "--spring.main.banner-mode=off"));
        String[][] routes = {{"ok", live}, {"dead", dead}, {"half", live}};
        for (int i = 0; i < routes.length; i++) {
            String prefix = "--spring.cloud.gateway.server.webflux.routes[" + i + "].";
            args.add(prefix + "id=" + routes[i][0]);
            args.add(prefix + "uri=" + routes[i][1]);
            args.add(prefix + "predicates[0]=Path=/" + routes[i][0] + "/**");
        }
        return args;
    }

    /** The stock gateway runs without the starter's jar: the class path minus that one entry. */
    static String withoutStarter(String classpath) {
        String kept = Arrays.stream(classpath.split(File.pathSeparator))
                .filter(e -> !Path.of(e).getFileName().toString().startsWith("upstream-guard-spring-gateway-starter")
                        && !e.replace('\\', '/').contains("spring-gateway-starter/target/classes"))
                .collect(Collectors.joining(File.pathSeparator));
        if (kept.equals(classpath)) {
            throw new IllegalStateException("the starter is not on the class path: " + classpath);
        }
        return kept;
    }

    private Process startJvm(String name, String classpath, List<String> jvmOptions, String mainClass, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        Path logFile = work.resolve(name.replace(':', '-') + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        started.add(process);
        log("started " + name + " (pid " + process.pid() + "), log " + logFile);
        return process;
    }

    private void stopAll() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        for (Process process : started) {
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        started.clear();
    }

    private boolean inTime() {
        return System.nanoTime() < deadlineNanos;
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private Path executable(String name) throws IOException, InterruptedException {
        String given = options.get(name);
        if (given != null) {
            return Path.of(given);
        }
        for (String dir : (System.getenv("PATH") + File.pathSeparator + "/usr/sbin" + File.pathSeparator + "/sbin")
                .split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IOException(name + " not found on the PATH (apt-get install -y nginx wrk), or pass --" + name + "=<path>");
    }

    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        return text;
    }

    private static void log(String line) {
        System.out.println(Instant.now().toString().substring(11, 19) + " " + line);
    }
}
