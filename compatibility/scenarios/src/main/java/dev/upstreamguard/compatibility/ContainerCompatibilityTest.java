package dev.upstreamguard.compatibility;

import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Scenario;
import dev.upstreamguard.testkit.Scenarios;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scenario set every container module runs: the servlet filter, registered through the Servlet API in a
 * real embedded container ({@link CompatibilityApp}), in front of an application that calls the test kit's
 * misbehaving upstream on loopback with the JDK {@link HttpClient}; a real client on the other side.
 *
 * <p>A container module extends this class and says how its container starts and which server and Servlet
 * version it must report, so a test run proves the container the README's table names: the version comes from
 * the system property {@value #CONTAINER_VERSION}, which the module's build sets from its pom.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ContainerCompatibilityTest {
    /** The longest a test waits for anything: a client request, a latch, the upstream. */
    private static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * The application's response timeout wherever the upstream answers at once: the timeout is not what such a
     * test is about, and a loaded 2-core machine can take more than the recommended second.
     */
    private static final String PATIENT = "PT20S";
    /** Long enough that a request held at a stalling upstream stays in flight for the whole test. */
    private static final String HOLD = "PT120S";

    /** The system property with the container version the build resolved. */
    public static final String CONTAINER_VERSION = "ug.compat.container-version";

    private final EmbeddedContainer embedded;
    private final String expectedServerInfo;
    private final String expectedServletVersion;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<AutoCloseable> perTest = new ArrayList<>();
    private MisbehavingUpstream upstream;
    private CompatibilityApp app;
    private EmbeddedContainer.Running container;

    /**
     * @param embedded          the container under test
     * @param serverInfoPrefix  what {@code ServletContext.getServerInfo()} says before the version, e.g.
     *                          {@code Apache Tomcat/}
     * @param servletVersion    the Servlet version the container implements, e.g. {@code 6.1}
     */
    protected ContainerCompatibilityTest(EmbeddedContainer embedded, String serverInfoPrefix, String servletVersion) {
        String version = System.getProperty(CONTAINER_VERSION);
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("system property '" + CONTAINER_VERSION + "' is not set; the module's"
                    + " surefire configuration sets it from the pom");
        }
        this.embedded = embedded;
        this.expectedServerInfo = serverInfoPrefix + version;
        this.expectedServletVersion = servletVersion;
    }

    @BeforeAll
    void startShared() throws Exception {
        upstream = MisbehavingUpstream.start();
        app = new CompatibilityApp(Map.of());
        container = embedded.start(app);
        // the first request loads the client, the filter and the container's request path: seconds on a loaded
        // machine, which the first test would otherwise spend inside its application's response timeout
        assertThat(get(container, "/relay", upstream.uri(Fault.CONTROL_OK), PATIENT).statusCode()).isEqualTo(200);
    }

    @AfterAll
    void stopShared() throws Exception {
        if (container != null) {
            container.stop();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @AfterEach
    void stopPerTest() throws Exception {
        for (int i = perTest.size() - 1; i >= 0; i--) {
            perTest.get(i).close();
        }
        perTest.clear();
    }

    @Test
    void theContainerIsTheOneTheModuleNames() {
        assertThat(app.serverInfo()).isEqualTo(expectedServerInfo);
        assertThat(app.servletVersion()).endsWith("(container " + expectedServletVersion + ")");
    }

    /** (a) A refused connection: 502 with our {@code Proxy-Status} member and a problem body. */
    @Test
    void aRefusedUpstreamIs502ConnectionRefusedWithProblemDetails() throws Exception {
        HttpResponse<String> r = get(container, "/relay", upstream.refusedUri(), PATIENT);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("proxy-status")).contains("upstream-guard;error=connection_refused");
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(r.body()).contains("\"status\":502", "\"error\":\"connection_refused\"");
    }

    /** (b) An upstream that never answers: 504 when the application's response timeout fires. */
    @Test
    void anUpstreamThatNeverAnswersIs504() throws Exception {
        Scenario stall = Scenarios.named("stall");
        HttpResponse<String> r = get(container, "/relay", stall.uri(upstream), Scenarios.RECOMMENDED_RESPONSE_TIMEOUT.toString());
        assertThat(r.statusCode()).isEqualTo(504).isEqualTo(stall.expectedStatus());
        assertThat(r.headers().firstValue("proxy-status")).contains("upstream-guard;error=" + stall.expectedError());
        assertThat(r.body()).contains("\"status\":504");
    }

    /** (c) A well-formed 200 passes unchanged: status, type and body byte for byte, no {@code Proxy-Status}. */
    @Test
    void aNormal200PassesUnchanged() throws Exception {
        HttpResponse<byte[]> r = client.send(request(container, "/relay", upstream.uri(Fault.CONTROL_OK), PATIENT),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(MisbehavingUpstream.controlBodyBytes());
        assertThat(r.headers().firstValue("proxy-status")).isEmpty();
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    }

    /**
     * A failure after the head was committed: the container aborts the response, so the client sees a chunked
     * body without its last-chunk (an exception), never a body that looks complete.
     */
    @Test
    void aFailureAfterCommitReachesTheClientTruncated() throws Exception {
        Scenario cut = Scenarios.named("truncated-body-chunked");
        HttpResponse<byte[]> r;
        try {
            r = client.send(request(container, "/relay", cut.uri(upstream), PATIENT), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException truncated) {
            return;
        }
        // the JDK client may report the cut before the application committed: then the verdict is the answer
        assertThat(r.statusCode()).as("the truncated body reached the client complete").isEqualTo(502);
        assertThat(r.headers().firstValue("proxy-status").orElseThrow())
                .startsWith("upstream-guard;error=" + cut.expectedError());
    }

    /**
     * (d) {@code concurrency.max-concurrent=1}: while one request is held at the upstream, a second one is shed
     * with 503 {@code connection_limit_reached} and {@code Retry-After} and never reaches the upstream.
     */
    @Test
    void overTheConcurrencyLimitTheSecondRequestIs503AndNeverReachesTheUpstream() throws Exception {
        MisbehavingUpstream held = perTest(MisbehavingUpstream.start());
        EmbeddedContainer.Running limited = started(new CompatibilityApp(Map.of("concurrency.max-concurrent", "1")));
        CompletableFuture<HttpResponse<String>> first = client.sendAsync(
                request(limited, "/relay", held.uri(Fault.STALL), HOLD), HttpResponse.BodyHandlers.ofString());
        held.awaitRequests(Fault.STALL, 1, WAIT);

        HttpResponse<String> second = get(limited, "/relay", held.uri(Fault.CONTROL_OK), PATIENT);
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.headers().firstValue("proxy-status").orElseThrow())
                .startsWith("upstream-guard;error=connection_limit_reached");
        assertThat(Long.parseLong(second.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 30L);
        assertThat(second.body()).contains("\"status\":503", "\"error\":\"connection_limit_reached\"");
        assertThat(held.requestCount(Fault.STALL)).isEqualTo(1);
        assertThat(held.requestCount(Fault.CONTROL_OK)).as("the shed request reached the upstream").isZero();
        assertThat(first).isNotDone();

        held.close(); // ends the held request: its upstream connection closes before any response byte
        HttpResponse<String> firstResponse = first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(firstResponse.statusCode()).isEqualTo(502);
        assertThat(firstResponse.headers().firstValue("proxy-status").orElseThrow()).startsWith("upstream-guard;error=");
    }

    /**
     * (e) An async request is admitted once: its {@code ASYNC} dispatch passes the filter again without a second
     * admission (with {@code max-concurrent=1} that would be a 503), it holds its slot while suspended and frees
     * it when it completes.
     */
    @Test
    void anAsyncDispatchIsNotAdmittedAgainAndHoldsItsSlotUntilComplete() throws Exception {
        CompatibilityApp asyncApp = new CompatibilityApp(Map.of("concurrency.max-concurrent", "1"));
        EmbeddedContainer.Running limited = started(asyncApp);
        CompletableFuture<HttpResponse<byte[]>> first = client.sendAsync(
                request(limited, "/async-relay", upstream.uri(Fault.CONTROL_OK), PATIENT), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(asyncApp.suspended().await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        int before = upstream.requestCount(Fault.CONTROL_OK);

        HttpResponse<String> concurrent = get(limited, "/relay", upstream.uri(Fault.CONTROL_OK), PATIENT);
        assertThat(concurrent.statusCode()).as("the suspended request holds the only slot").isEqualTo(503);
        assertThat(concurrent.headers().firstValue("proxy-status").orElseThrow())
                .startsWith("upstream-guard;error=connection_limit_reached");

        asyncApp.release();
        HttpResponse<byte[]> answered = first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(answered.statusCode()).as("the answer of the ASYNC dispatch (503: it was admitted again)").isEqualTo(200);
        assertThat(answered.body()).isEqualTo(MisbehavingUpstream.controlBodyBytes());
        assertThat(asyncApp.asyncDispatched().getCount()).isZero();
        assertThat(upstream.requestCount(Fault.CONTROL_OK) - before).as("requests the upstream received").isEqualTo(1);

        assertThat(asyncApp.completed().await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(get(limited, "/relay", upstream.uri(Fault.CONTROL_OK), PATIENT).statusCode())
                .as("the slot was freed when the async request completed").isEqualTo(200);
    }

    /** A container of its own for one test, stopped after it. */
    private EmbeddedContainer.Running started(CompatibilityApp application) throws Exception {
        EmbeddedContainer.Running running = embedded.start(application);
        perTest.add(running::stop);
        return running;
    }

    private <T extends AutoCloseable> T perTest(T resource) {
        perTest.add(resource);
        return resource;
    }

    private HttpResponse<String> get(EmbeddedContainer.Running target, String path, URI upstreamUri, String timeout)
            throws IOException, InterruptedException {
        return client.send(request(target, path, upstreamUri, timeout), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(EmbeddedContainer.Running target, String path, URI upstreamUri, String timeout) {
        String query = "?target=" + URLEncoder.encode(upstreamUri.toString(), StandardCharsets.UTF_8)
                + "&timeout=" + timeout;
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path + query))
                .header("Accept", "application/problem+json")
                .timeout(WAIT)
                .build();
    }
}
