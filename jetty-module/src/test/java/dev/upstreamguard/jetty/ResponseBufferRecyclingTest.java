package dev.upstreamguard.jetty;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No buffer of the upstream client is written after it went back to the pool (Jetty's HTTP/1.1 receiver
 * clears its network buffer after releasing it when an upstream ends a body early while the proxy relays it;
 * see {@link DeferredRecyclingPool}), none is released twice, none leaks: the guarded proxy through every
 * way a body can end badly, with the control response and a replayed POST in between, over a pool that
 * never reuses a buffer and checks each released one.
 */
class ResponseBufferRecyclingTest {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
    private static final Fault[] BODY_ENDS_EARLY = {Fault.TRUNCATED_BODY_CONTENT_LENGTH, Fault.RESET_MID_BODY,
            Fault.TRUNCATED_BODY_CHUNKED};

    private final GraveyardPool clientPool = new GraveyardPool();
    private final java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(CLIENT_TIMEOUT).build();
    private MisbehavingUpstream faults;
    private EchoUpstream echo;
    private GuardedProxyHandler handler;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        faults = MisbehavingUpstream.start();
        echo = EchoUpstream.start();
        URI refused = URI.create("http://127.0.0.1:" + faults.refusedUri().getPort());
        ProxyConfig config = UpstreamGuardProxy.builder().timeouts(ConformanceRun.TIMEOUTS)
                .route(Route.of("faults", "/fault", List.of(faults.baseUri())))
                .route(new Route("replay", "/replay", List.of(refused, echo.baseUri()), true))
                .config();
        handler = new GuardedProxyHandler(config, UpstreamGuard.withDefaults()) {
            @Override
            protected HttpClient newHttpClient() {
                HttpClient httpClient = super.newHttpClient();
                httpClient.setByteBufferPool(clientPool); // the handler's configuration wraps it
                return httpClient;
            }
        };
        proxy = ProxyServer.start(handler);
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        faults.close();
        echo.close();
    }

    @Test
    void noUpstreamClientBufferIsWrittenAfterItsReleaseReleasedTwiceOrLeaked() throws Exception {
        byte[] body = new byte[2048];
        Arrays.fill(body, (byte) 'x');
        for (int round = 0; round < 20; round++) {
            for (Fault early : BODY_ENDS_EARLY) {
                HttpResponse<byte[]> cut = sendIgnoringCut(HttpRequest.newBuilder(proxy.uri(faults.uri(early).getRawPath())));
                assertThat(cut == null || cut.statusCode() == 200).as(early.name()).isTrue();
            }
            HttpResponse<byte[]> control = client.send(HttpRequest.newBuilder(proxy.uri(faults.uri(Fault.CONTROL_OK).getRawPath()))
                    .timeout(CLIENT_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(control.statusCode()).isEqualTo(200);
            assertThat(control.body()).isEqualTo(MisbehavingUpstream.controlBodyBytes());
            HttpResponse<byte[]> replayed = client.send(HttpRequest.newBuilder(proxy.uri("/replay"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(CLIENT_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(replayed.statusCode()).isEqualTo(200);
            assertThat(echo.next().body()).isEqualTo(body);
        }

        assertThat(clientPool.writtenAfterRelease()).as("buffers written after their release").isEmpty();
        assertThat(clientPool.overReleases()).as("buffers released twice").isEmpty();
        proxy.close();
        proxy = null;
        handler.getHttpClient().getByteBufferPool().clear(); // gives back what is held back, as a stop does
        assertThat(clientPool.leaks()).as("buffers never released").isZero();
        assertThat(clientPool.buried()).isPositive();
    }

    /**
     * Pins the Jetty bug the guarded proxy works around: Jetty's own {@code ProxyHandler} over the same pool
     * still writes released buffers. When this fails after a Jetty upgrade, {@link DeferredRecyclingPool} may
     * no longer be needed.
     */
    @Test
    void jettysOwnProxyStillWritesReleasedResponseBuffers() throws Exception {
        GraveyardPool stockPool = new GraveyardPool();
        URI base = faults.baseUri();
        ProxyHandler.Reverse stock = new ProxyHandler.Reverse(request ->
                HttpURI.build(base + request.getHttpURI().getPathQuery())) {
            @Override
            protected HttpClient newHttpClient() {
                HttpClient httpClient = super.newHttpClient();
                httpClient.setByteBufferPool(stockPool);
                return httpClient;
            }
        };
        try (ProxyServer stockProxy = ProxyServer.start(stock)) {
            for (int round = 0; round < 20; round++) {
                for (Fault early : BODY_ENDS_EARLY) {
                    sendIgnoringCut(HttpRequest.newBuilder(stockProxy.uri(faults.uri(early).getRawPath())));
                }
            }
        }
        assertThat(stockPool.writtenAfterRelease()).isNotEmpty()
                .allSatisfy(b -> assertThat(b).contains("pos=0 lim=0"));
    }

    /** The response, or {@code null} when the proxy cut it (the upstream ended the body early). */
    private HttpResponse<byte[]> sendIgnoringCut(HttpRequest.Builder request) throws InterruptedException {
        try {
            return client.send(request.timeout(CLIENT_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException cut) {
            return null;
        }
    }
}
