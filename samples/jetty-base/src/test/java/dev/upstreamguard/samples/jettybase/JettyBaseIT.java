package dev.upstreamguard.samples.jettybase;

import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The sample base as assembled in {@code target/jetty-base}, started with a real jetty-home 12.1.12's
 * {@code start.jar} as a separate process (no {@code --add-modules}: the base is ready as shipped). The
 * command line points its example routes at the test kit's misbehaving upstream and a free loopback port;
 * everything else comes from the sample's start.d. The process is destroyed at the end.
 */
class JettyBaseIT {
    private static final Duration DEADLINE = Duration.ofSeconds(40);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static MisbehavingUpstream upstream;
    private static Process jetty;
    private static int port;

    @BeforeAll
    static void startTheSampleBase() throws Exception {
        Path base = Path.of(required("ug.sample.base"));
        Path startJar = Path.of(required("ug.it.jetty-home"), "start.jar");
        upstream = MisbehavingUpstream.start();
        URI refused = upstream.refusedUri();
        port = freePort();
        Path log = Files.createTempFile(base.getParent(), "jetty-base-it", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + required("ug.it.hosts-file"), "-jar", startJar.toString(),
                "jetty.http.port=" + port,
                "upstream-guard.routes=orders=/orders->" + upstream.baseUri() + "," + upstream.baseUri() + "!strip;"
                        + "assets=/assets->" + refused.getScheme() + "://" + refused.getRawAuthority(),
                "upstream-guard.timeouts.response-head=1s"));
        jetty = new ProcessBuilder(command).directory(base.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitListening(log);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (jetty != null) {
            jetty.destroy();
            if (!jetty.waitFor(10, TimeUnit.SECONDS)) {
                jetty.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Accept", "application/problem+json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theOrdersRouteRelaysAWellBehavedUpstream() throws Exception {
        HttpResponse<String> r = get("/orders" + Fault.CONTROL_OK.path());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(MisbehavingUpstream.CONTROL_BODY);
    }

    @Test
    void aRefusedUpstreamIs502AndAStalledOne504() throws Exception {
        HttpResponse<String> refused = get("/assets/app.css");
        assertThat(refused.statusCode()).isEqualTo(502);
        assertThat(refused.headers().firstValue("proxy-status").orElseThrow()).startsWith("upstream-guard;error=connection_refused");
        assertThat(refused.body()).contains("\"error\":\"connection_refused\"");
        HttpResponse<String> stalled = get("/orders" + Fault.STALL.path());
        assertThat(stalled.statusCode()).isEqualTo(504);
        assertThat(stalled.headers().firstValue("proxy-status").orElseThrow()).startsWith("upstream-guard;error=http_response_timeout");
    }

    @Test
    void theStatusPageShowsTheRoutesToLoopbackClients() throws Exception {
        get("/assets/down.css");
        HttpResponse<String> page = CLIENT.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/upstream-guard/status.json")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("\"orders\"", "\"assets\"", "connection_refused");
    }

    private static void awaitListening(Path log) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!jetty.isAlive()) {
                fail("Jetty exited with " + jetty.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                jetty.waitFor(100, TimeUnit.MILLISECONDS);   // a bounded pause between attempts
            }
        }
        fail("Jetty did not listen on " + port + " within " + DEADLINE + ":\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            fail("system property " + property + " is not set: run this test with failsafe (mvn verify)");
        }
        return value;
    }
}
