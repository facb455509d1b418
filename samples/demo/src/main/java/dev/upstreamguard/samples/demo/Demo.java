package dev.upstreamguard.samples.demo;

import dev.upstreamguard.jetty.StatusHandler;
import dev.upstreamguard.testkit.ClientDeviations;
import dev.upstreamguard.testkit.Deviations;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Scenario;
import dev.upstreamguard.testkit.Scenarios;
import org.eclipse.jetty.server.Server;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The main job: starts, on 127.0.0.1 only, the test kit's misbehaving upstream and six stacks in front of it
 * — stock Jetty {@code ProxyHandler.Reverse} and the guarded Jetty proxy, a stock Spring Cloud Gateway and
 * one with the starter, a servlet application without and with the filter — fires every scenario of the
 * list through each, prints the answers side by side, then keeps serving for {@code curl} (unless
 * {@code --exit}, which exits 0 only when every guarded cell is as listed or as documented).
 */
public final class Demo implements AutoCloseable {
    /** Column order of {@link #columns()} and of every {@link Row}. */
    static final int STOCK_JETTY = 0;
    static final int GUARDED_JETTY = 1;
    static final int STOCK_GATEWAY = 2;
    static final int GUARDED_GATEWAY = 3;
    static final int STOCK_SERVLET = 4;
    static final int GUARDED_SERVLET = 5;

    /** How long the demo's client waits for one whole exchange before it calls it hung. */
    static final Duration CLIENT_LIMIT = Duration.ofSeconds(6);
    /** Requests in flight at once per stack. */
    private static final int PARALLEL_PER_STACK = 8;

    private final MisbehavingUpstream upstream;
    private final List<Server> servers;
    private final List<ConfigurableApplicationContext> gateways;
    private final List<Column> columns;

    private Demo(MisbehavingUpstream upstream, List<Server> servers, List<ConfigurableApplicationContext> gateways,
                 List<Column> columns) {
        this.upstream = upstream;
        this.servers = servers;
        this.gateways = gateways;
        this.columns = columns;
    }

    private static final int WARM_UP_TRIES = 3;

    /** {@code --exit}: print the table and exit (0 only when every guarded cell is as expected). */
    public static void main(String[] args) throws Exception {
        long begin = System.nanoTime();
        boolean exit = List.of(args).contains("--exit");
        Path log = logFile();
        quietLoggingTo(log);
        keepNameLookupsOnThisMachine();
        System.out.println("Starting on 127.0.0.1: a misbehaving upstream, stock and guarded Jetty proxies, stock and"
                + " guarded Spring Cloud Gateways, a servlet app without and with the filter ...");
        Demo demo = start();
        double started = seconds(System.nanoTime() - begin);
        List<Row> rows = demo.run();
        double fired = seconds(System.nanoTime() - begin) - started;
        demo.print(rows, System.out);
        System.out.printf("%nStarted in %.1f s, every scenario fired through every stack in %.1f s. Operator log"
                + " (one line per failure): %s%n", started, fired, log);
        boolean ok = demo.allGuardedAsExpected(rows);
        if (exit) {
            demo.close();
            System.exit(ok ? 0 : 1);
        }
        demo.printTryIt(System.out);
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
        forever.await();
    }

    /** Starts the upstream and every stack on ephemeral loopback ports (the gateways in parallel). */
    public static Demo start() throws Exception {
        MisbehavingUpstream upstream = MisbehavingUpstream.start();
        upstream.connectTimeoutUri();
        ExecutorService starter = Executors.newFixedThreadPool(2);
        try {
            Future<ConfigurableApplicationContext> stockGateway = starter.submit(() -> GatewayStacks.start(upstream, false));
            Future<ConfigurableApplicationContext> guardedGateway = starter.submit(() -> GatewayStacks.start(upstream, true));
            Server stockJetty = JettyStacks.stock(upstream);
            Server guardedJetty = JettyStacks.guarded(upstream);
            Server stockApp = ServletApps.start(upstream, false);
            Server guardedApp = ServletApps.start(upstream, true);
            List<ConfigurableApplicationContext> gateways = List.of(stockGateway.get(), guardedGateway.get());
            List<Column> columns = List.of(
                    new Column("stock Jetty proxy", false, JettyStacks.port(stockJetty), DemoRoutes::pathOf, Map.of()),
                    new Column("Jetty + upstream-guard", true, JettyStacks.port(guardedJetty), DemoRoutes::pathOf,
                            Deviations.JETTY_MODULE),
                    new Column("stock gateway", false, GatewayStacks.port(gateways.get(0)), DemoRoutes::pathOf, Map.of()),
                    new Column("gateway + starter", true, GatewayStacks.port(gateways.get(1)), DemoRoutes::pathOf,
                            Deviations.GATEWAY_STARTER),
                    new Column("stock servlet app", false, JettyStacks.port(stockApp), ServletApps::pathOf, Map.of()),
                    new Column("servlet app + filter", true, JettyStacks.port(guardedApp), ServletApps::pathOf,
                            Deviations.SERVLET_FILTER_WITH_JDK_CLIENT));
            return new Demo(upstream, List.of(stockJetty, guardedJetty, stockApp, guardedApp), gateways, columns);
        } finally {
            starter.shutdown();
        }
    }

    /** The columns, in table order. */
    public List<Column> columns() {
        return columns;
    }

    /** Fires every scenario through every stack (stacks in parallel, a bounded number at once per stack). */
    public List<Row> run() {
        List<Scenario> scenarios = Scenarios.all();
        RawClient client = new RawClient(CLIENT_LIMIT);
        warmUp(client);
        List<ExecutorService> pools = new ArrayList<>();
        List<List<CompletableFuture<Answer>>> answers = new ArrayList<>();
        for (Column column : columns) {
            ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_PER_STACK);
            pools.add(pool);
            List<CompletableFuture<Answer>> perScenario = new ArrayList<>();
            for (Scenario s : scenarios) {
                perScenario.add(CompletableFuture.supplyAsync(() -> client.get(column.port(), column.pathOf().apply(s)), pool));
            }
            answers.add(perScenario);
        }
        try {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < scenarios.size(); i++) {
                Scenario s = scenarios.get(i);
                List<Answer> cells = new ArrayList<>();
                List<Judgement> judgements = new ArrayList<>();
                for (int c = 0; c < columns.size(); c++) {
                    Answer a = answers.get(c).get(i).join();
                    cells.add(a);
                    judgements.add(Judgement.of(s, a, columns.get(c).deviations().get(s.name())));
                }
                rows.add(new Row(s, cells, judgements));
            }
            return rows;
        } finally {
            pools.forEach(ExecutorService::shutdownNow);
        }
    }

    /**
     * One plain request through each stack until it answers 200 (at most {@value #WARM_UP_TRIES} tries), so that
     * no cell measures a cold JVM: the first request through a just-started gateway loads its HTTP client and
     * may overrun the 500 ms connect timeout of the table's contract on a busy machine.
     */
    private void warmUp(RawClient client) {
        Scenario ok = Scenarios.named("control-ok");
        columns.parallelStream().forEach(column -> {
            for (int i = 0; i < WARM_UP_TRIES && client.get(column.port(), column.pathOf().apply(ok)).status() != 200; i++) {
                Thread.onSpinWait();
            }
        });
    }

    /** Prints the two tables (proxies, servlet apps) and a summary per column. */
    public void print(List<Row> rows, PrintStream out) {
        TablePrinter tables = new TablePrinter(columns, rows);
        out.println();
        out.println("Proxies: Jetty 12.1 ProxyHandler.Reverse and Spring Cloud Gateway 5.0 (webflux), stock and with upstream-guard");
        out.println("(cells: status, and the error token of our Proxy-Status member; details and next-hop left out)");
        out.println();
        tables.print(out, STOCK_JETTY, GUARDED_JETTY, STOCK_GATEWAY, GUARDED_GATEWAY);
        out.println();
        out.println("A servlet application that calls the upstream with the JDK HttpClient, without and with the filter");
        out.println();
        tables.print(out, STOCK_SERVLET, GUARDED_SERVLET);
        out.println();
        for (int c = 0; c < columns.size(); c++) {
            out.println(summary(rows, c));
        }
    }

    private String summary(List<Row> rows, int c) {
        Column column = columns.get(c);
        if (!column.guarded()) {
            long status = rows.stream().filter(r -> Judgement.listedStatus(r.scenario(), r.answers().get(c))).count();
            long hung = rows.stream().filter(r -> r.answers().get(c).ending() == Answer.Ending.HUNG).count();
            long bare500 = rows.stream().filter(r -> r.answers().get(c).complete() && r.answers().get(c).status() == 500
                    && r.scenario().expectedStatus() != 500).count();
            return String.format("%-24s %2d of %d with the listed status, %d answered 500 for an upstream failure, %d hung;"
                    + " no Proxy-Status", column.title() + ":", status, rows.size(), bare500, hung);
        }
        long listed = count(rows, c, Judgement.AS_LISTED);
        long documented = count(rows, c, Judgement.DOCUMENTED_DEVIATION);
        long unexpected = count(rows, c, Judgement.UNEXPECTED);
        return String.format("%-24s %2d of %d as listed, %d as documented%s", column.title() + ":", listed, rows.size(),
                documented, unexpected == 0 ? "" : ", " + unexpected + " UNEXPECTED (!!)");
    }

    private static long count(List<Row> rows, int c, Judgement j) {
        return rows.stream().filter(r -> r.judgements().get(c) == j).count();
    }

    /** Whether every guarded cell is as listed or as documented. */
    public boolean allGuardedAsExpected(List<Row> rows) {
        for (int c = 0; c < columns.size(); c++) {
            int column = c;
            if (columns.get(c).guarded() && rows.stream().anyMatch(r -> r.judgements().get(column) == Judgement.UNEXPECTED)) {
                return false;
            }
        }
        return true;
    }

    private void printTryIt(PrintStream out) {
        Column jetty = columns.get(GUARDED_JETTY);
        List<String[]> lines = List.of(
                curl(jetty, "connection-refused", "Jetty + upstream-guard"),
                curl(columns.get(STOCK_JETTY), "connection-refused", "the stock Jetty proxy"),
                curl(jetty, "bare-lf-in-value", "a smuggled Set-Cookie, refused"),
                curl(columns.get(GUARDED_GATEWAY), "connect-timeout", "gateway + starter"),
                curl(columns.get(STOCK_GATEWAY), "connect-timeout", "the stock gateway"),
                curl(columns.get(GUARDED_SERVLET), "dns-error", "servlet app + filter"));
        int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0);
        out.println();
        out.println("Still serving on 127.0.0.1 (Ctrl-C stops). Try it by hand:");
        lines.forEach(l -> out.printf("  %-" + width + "s  # %s%n", l[0], l[1]));
        out.printf("  status page of the guarded Jetty proxy: http://127.0.0.1:%d%s (JSON: %s.json)%n", jetty.port(),
                StatusHandler.DEFAULT_PATH, StatusHandler.DEFAULT_PATH);
        out.println("  every scenario's path: /fault/<name> on the proxies (e.g. /fault/huge-header), /call?scenario=<name> on the apps");
    }

    private static String[] curl(Column column, String scenario, String comment) {
        return new String[] {"curl -si '" + column.url(Scenarios.named(scenario)) + "'", comment};
    }

    /** Stops everything. */
    @Override
    public void close() throws Exception {
        for (ConfigurableApplicationContext gateway : gateways) {
            gateway.close();
        }
        for (Server server : servers) {
            server.stop();
        }
        upstream.close();
    }

    /**
     * The demo's name lookups stay on this machine: only {@code localhost} resolves (the unresolvable-host
     * scenario then fails locally, no packet leaves). Must run before anything touches the network.
     */
    static void keepNameLookupsOnThisMachine() throws IOException {
        if (System.getProperty("jdk.http.maxHeaderSize") == null) {
            // a gateway's header limit for the servlet app's JDK client (its default is 384 KiB)
            System.setProperty("jdk.http.maxHeaderSize", String.valueOf(ClientDeviations.JDK_MAX_HEADER_SIZE));
        }
        if (System.getProperty("jdk.net.hosts.file") != null) {
            return;
        }
        Path hosts = Files.createTempFile("upstream-guard-demo-hosts", ".txt");
        hosts.toFile().deleteOnExit();
        try (InputStream in = MisbehavingUpstream.class.getResourceAsStream("/dev/upstreamguard/testkit/hosts")) {
            Files.write(hosts, in.readAllBytes());
        }
        System.setProperty("jdk.net.hosts.file", hosts.toString());
    }

    /** Every library's log (one WARN line per failure from the guard) goes to {@code log}, not the terminal. */
    private static void quietLoggingTo(Path log) {
        System.setProperty("org.slf4j.simpleLogger.logFile", log.toString());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        System.setProperty("org.jboss.logging.provider", "slf4j");
        // initialised here, before the gateways start on two threads (else SLF4J replays their first calls)
        org.slf4j.LoggerFactory.getILoggerFactory();
    }

    /** {@code upstream-guard-demo.log} beside the demo's jar (its {@code target/}), else in the temp directory. */
    private static Path logFile() {
        try {
            Path jar = Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = jar.getParent();
            if (dir != null && Files.isWritable(dir)) {
                return dir.resolve("upstream-guard-demo.log").toAbsolutePath();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "upstream-guard-demo.log");
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
