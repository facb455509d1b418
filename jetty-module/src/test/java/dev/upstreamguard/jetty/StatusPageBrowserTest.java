package dev.upstreamguard.jetty;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.PassiveHealthPolicy;
import dev.upstreamguard.core.policy.RetryPolicy;
import dev.upstreamguard.status.FailureHistory;
import dev.upstreamguard.status.StatusRegistry;
import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The status page in a real headless browser (Debian's {@code chromium}), fed by real failures: a guarded
 * proxy on a real Jetty sends requests to a refused port, to an upstream that stalls and to one that sends
 * an invalid header name; the page must render and its chart must show bars for exactly those error types.
 * A screenshot is left in {@code target/status-page.png} for people to look at.
 */
class StatusPageBrowserTest {
    private static final Pattern RECT = Pattern.compile("<rect ([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-z-]+)=\"([^\"]*)\"");
    private static final int REFUSED = 4;
    private static final int STALLED = 2;
    private static final int BAD_HEADER = 3;
    private static final int OK = 3;

    @TempDir
    static Path workDir;

    private static MisbehavingUpstream upstream;
    private static ProxyServer server;
    private static StatusRegistry status;

    @BeforeAll
    static void provokeRealFailures() throws Exception {
        assumeTrue(HeadlessChromium.installed(), "skipped: " + HeadlessChromium.BINARY + " is absent; install Debian's"
                + " chromium and chromium-driver (apt-get install -y chromium chromium-driver, as .ci/run does) to run"
                + " the status page in a real browser");
        upstream = MisbehavingUpstream.start();
        status = new StatusRegistry(new FailureHistory());
        // payments has two refusing upstreams, each ejected after its first failure (the only upstream of a
        // route never is); no retries, so every request is one attempt to count
        PassiveHealthPolicy health = new PassiveHealthPolicy(true, 1, Duration.ofMinutes(2), Duration.ofMinutes(5), 100, false);
        URI refusing = URI.create("http://127.0.0.1:" + upstream.refusedUri().getPort());
        List<Route> routes = List.of(
                Route.of("payments", "/payments", List.of(refusing, refusing)),
                route("search", Fault.STALL.path(), upstream.baseUri()),
                route("catalog", Fault.INVALID_HEADER_NAME.path(), upstream.baseUri()),
                route("accounts", Fault.CONTROL_OK.path(), upstream.baseUri()));
        UpstreamGuard guard = UpstreamGuard.builder()
                .policy(GuardPolicy.builder().health(health).retry(RetryPolicy.disabled()).build())
                .addListener(status.history()).build();
        UpstreamGuardProxy.Builder proxy = UpstreamGuardProxy.builder().guard(guard)
                .timeouts(Timeouts.DEFAULTS.withResponseHead(Duration.ofMillis(400)));
        routes.forEach(proxy::route);
        GuardedProxyHandler handler = proxy.build();
        for (Route route : routes) {
            status.register(handler.upstreamPool(route.id()));   // the proxy's own pools, as the module wires them
        }
        StatusHandler page = new StatusHandler(status);
        page.setHandler(handler);
        server = ProxyServer.start(page);

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, Integer> expected = Map.of("/payments/charge", REFUSED, Fault.STALL.path(), STALLED,
                Fault.INVALID_HEADER_NAME.path(), BAD_HEADER, Fault.CONTROL_OK.path(), OK);
        Map<Integer, Integer> statuses = new HashMap<>();
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            for (int i = 0; i < e.getValue(); i++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri(e.getKey()))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                statuses.merge(response.statusCode(), 1, Integer::sum);
            }
        }
        assertThat(statuses).containsOnly(Map.entry(502, REFUSED + BAD_HEADER), Map.entry(504, STALLED), Map.entry(200, OK));
        assertThat(status.history().counters().proxyFailures()).isEqualTo(REFUSED + STALLED + BAD_HEADER);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void theRenderedChartShowsTheFailuresTheTestProvoked() throws Exception {
        String dom = new HeadlessChromium(workDir).dumpDom(server.uri(StatusHandler.DEFAULT_PATH));

        assertThat(dom).contains("<title>Upstream Guard status</title>", "<svg");
        Map<String, Integer> barTotals = new HashMap<>();
        for (Map<String, String> rect : rects(dom)) {
            barTotals.merge(rect.get("data-error"), Integer.parseInt(rect.get("data-count")), Integer::sum);
            assertThat(rect.get("data-minute")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00Z");
        }
        assertThat(barTotals).containsOnly(Map.entry("connection_refused", REFUSED),
                Map.entry("http_response_timeout", STALLED), Map.entry("http_protocol_error", BAD_HEADER));
        assertThat(dom).contains("data-upstream=\"payments-1\" data-state=\"ejected\"",
                "data-upstream=\"search-1\" data-state=\"healthy\"", "data-upstream=\"accounts-1\" data-state=\"healthy\"",
                "upstream refused connection while connecting to upstream",
                "upstream timed out while reading response header from upstream",
                "<li data-error=\"connection_refused\">");
        assertThat(dom).doesNotContain("127.0.0.1", "Exception");
    }

    @Test
    void theScreenshotShowsTheBarsInTheirColours() throws Exception {
        HeadlessChromium chromium = new HeadlessChromium(workDir);
        String dom = chromium.dumpDom(server.uri(StatusHandler.DEFAULT_PATH));
        Path png = Path.of("target", "status-page.png");

        chromium.screenshot(server.uri(StatusHandler.DEFAULT_PATH), png, 1200, 900);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        assertThat(image.getHeight()).isEqualTo(900);
        for (Map<String, String> rect : rects(dom)) {
            int rgb = Integer.parseInt(rect.get("fill").substring(1), 16);
            assertThat(pixelsOf(image, rgb)).as("pixels of the %s bar (%s)", rect.get("data-error"), rect.get("fill"))
                    .isGreaterThan(50);
        }
    }

    private static Route route(String id, String prefix, URI upstreamBase) {
        return Route.of(id, prefix, List.of(upstreamBase));
    }

    private static List<Map<String, String>> rects(String dom) {
        List<Map<String, String>> out = new java.util.ArrayList<>();
        Matcher m = RECT.matcher(dom);
        while (m.find()) {
            Map<String, String> attributes = new HashMap<>();
            Matcher a = ATTRIBUTE.matcher(m.group(1));
            while (a.find()) {
                attributes.put(a.group(1), a.group(2));
            }
            out.add(attributes);
        }
        return out;
    }

    private static int pixelsOf(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
