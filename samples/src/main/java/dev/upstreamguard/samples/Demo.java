package dev.upstreamguard.samples;

import dev.upstreamguard.servlet.UpstreamGuardFilter;
import dev.upstreamguard.testkit.ClientDeviations;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Outcome;
import dev.upstreamguard.testkit.Scenario;
import dev.upstreamguard.testkit.Scenarios;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The main job: starts, on 127.0.0.1 only, the misbehaving upstream and the same servlet application
 * twice — stock, and behind {@link UpstreamGuardFilter} — fires every conformance scenario through both,
 * prints them side by side, then keeps serving for {@code curl} (unless {@code --exit}).
 */
public final class Demo {

    /** One scenario's answers. */
    public record Row(Scenario scenario, String stock, String guarded, boolean asExpected) {
    }

    private final MisbehavingUpstream upstream;
    private final Server stockApp;
    private final Server guardedApp;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Demo(MisbehavingUpstream upstream, Server stockApp, Server guardedApp) {
        this.upstream = upstream;
        this.stockApp = stockApp;
        this.guardedApp = guardedApp;
    }

    /** {@code --exit}: print the table and stop. */
    public static void main(String[] args) throws Exception {
        keepNameLookupsOnThisMachine();
        boolean exit = List.of(args).contains("--exit");
        Demo demo = start();
        try {
            List<Row> rows = demo.run(System.out);
            long wrong = rows.stream().filter(r -> !r.asExpected()).count();
            if (exit) {
                System.exit(wrong == 0 ? 0 : 1);
            }
            demo.printTryIt(System.out);
            CountDownLatch forever = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
            forever.await();
        } finally {
            demo.stop();
        }
    }

    /**
     * The demo's lookups stay on this machine: only {@code localhost} resolves (the unresolvable-host
     * scenario then fails locally, no packet leaves). Must run before anything touches the network.
     */
    static void keepNameLookupsOnThisMachine() throws IOException {
        if (System.getProperty("jdk.http.maxHeaderSize") == null) {
            // a gateway's header limit for the JDK client (its default is 384 KiB)
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

    /** Starts the upstream and both applications on ephemeral loopback ports. */
    public static Demo start() throws Exception {
        MisbehavingUpstream upstream = MisbehavingUpstream.start();
        Server stock = app(upstream, false);
        Server guarded = app(upstream, true);
        return new Demo(upstream, stock, guarded);
    }

    private static Server app(MisbehavingUpstream upstream, boolean guarded) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        if (guarded) {
            FilterHolder filter = new FilterHolder(UpstreamGuardFilter.class);
            filter.setInitParameter(UpstreamGuardFilter.ROUTE_ID, "demo");
            context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(new ServletHolder(new UpstreamCallingServlet(upstream)), "/call");
        server.setHandler(context);
        server.start();
        return server;
    }

    /** Stops everything. */
    public void stop() throws Exception {
        guardedApp.stop();
        stockApp.stop();
        upstream.close();
    }

    /** Fires every scenario through both applications and prints the table. */
    public List<Row> run(PrintStream out) {
        List<Row> rows = new ArrayList<>();
        out.printf("%-40s | %-36s | %s%n", "scenario", "stock servlet app", "with upstream-guard filter");
        out.println("-".repeat(40) + "-+-" + "-".repeat(36) + "-+-" + "-".repeat(60));
        for (Scenario s : Scenarios.all()) {
            Answer stock = call(stockApp, s);
            Answer guarded = call(guardedApp, s);
            ClientDeviations.Deviation deviation = ClientDeviations.JDK_HTTP_CLIENT.get(s.name());
            boolean expected = deviation == null ? guarded.matches(s) : guarded.matches(deviation);
            Row row = new Row(s, stock.summary(false), guarded.summary(true), expected);
            rows.add(row);
            String note = !expected ? "  <-- expected " + s.expectedStatus() + " " + s.expectedError()
                    : deviation != null ? "  (*)" : "";
            out.printf("%-40s | %-36s | %s%s%n", s.name(), row.stock(), row.guarded(), note);
        }
        long ok = rows.stream().filter(Row::asExpected).count();
        out.printf("%n%d of %d scenarios answered as expected (stock: see the left column).%n", ok, rows.size());
        out.println("(*) the JDK HttpClient the application uses rewrites these bytes before anyone can look; the Jetty");
        out.println("    and gateway packagings see the bytes themselves. Why, per scenario:");
        ClientDeviations.JDK_HTTP_CLIENT.forEach((name, d) -> out.printf("    %-22s %s%n", name, d.why()));
        return rows;
    }

    private void printTryIt(PrintStream out) {
        out.println();
        out.println("Still serving on 127.0.0.1 (Ctrl-C stops). Try it by hand:");
        for (String name : List.of("connection-refused", "connect-timeout", "dns-error", "huge-header",
                "bare-lf-in-value", "truncated-body-content-length", "upstream-503-retry-after")) {
            out.printf("  curl -si '%s'%n", uri(guardedApp, Scenarios.named(name).name()));
        }
        out.printf("  stock, for comparison: curl -si '%s'%n", uri(stockApp, "connection-refused"));
    }

    private static URI uri(Server app, String scenario) {
        int port = ((ServerConnector) app.getConnectors()[0]).getLocalPort();
        return URI.create("http://127.0.0.1:" + port + "/call?scenario=" + scenario);
    }

    private Answer call(Server app, Scenario s) {
        HttpRequest request = HttpRequest.newBuilder(uri(app, s.name())).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/problem+json").build();
        try {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), r.headers().firstValue("proxy-status").orElse(null),
                    new String(r.body(), StandardCharsets.UTF_8), null);
        } catch (IOException e) {
            return new Answer(0, null, "", e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, null, "", "interrupted");
        }
    }

    /** What one application answered. */
    private record Answer(int status, String proxyStatus, String body, String failure) {
        String summary(boolean guarded) {
            if (failure != null) {
                return "truncated (client saw " + failure + ")";
            }
            StringBuilder sb = new StringBuilder().append(status);
            if (proxyStatus != null) {
                String member = proxyStatus.substring(proxyStatus.lastIndexOf("upstream-guard"));
                int details = member.indexOf(";details=");
                sb.append(" Proxy-Status: ").append(details > 0 ? member.substring(0, details) : member);
            } else if (!guarded && body.contains("Exception")) {
                sb.append(" (page shows the exception)");
            }
            return sb.toString();
        }

        boolean matches(ClientDeviations.Deviation d) {
            return failure == null && status == d.status()
                    && (d.error() == null ? proxyStatus == null : proxyStatus != null && proxyStatus.contains("error=" + d.error()));
        }

        boolean matches(Scenario s) {
            if (s.outcome() == Outcome.TRUNCATED) {
                // truncation after commit, or the verdict when the fault was found before the head went out
                return failure != null || (status == 502 && proxyStatus != null
                        && proxyStatus.contains("upstream-guard;error=" + s.expectedError()));
            }
            if (failure != null || status != s.expectedStatus()) {
                return false;
            }
            if (s.outcome() == Outcome.VERDICT) {
                return proxyStatus != null && proxyStatus.contains("upstream-guard;error=" + s.expectedError());
            }
            return true;
        }
    }
}
