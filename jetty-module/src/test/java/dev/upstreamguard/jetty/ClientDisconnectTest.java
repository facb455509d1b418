package dev.upstreamguard.jetty;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.PolicyBinder;
import dev.upstreamguard.testkit.StreamingBodyUpstream;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that goes away is not an upstream failure: a client closing its connection while the proxy relays a
 * healthy upstream's body, or before the upstream's head arrived, must not be reported as a failure of the
 * upstream nor counted by its passive health (which ejects here after one failure).
 */
class ClientDisconnectTest {
    private static final long WAIT_MILLIS = 10_000;

    private final RecordingListener events = new RecordingListener();
    private final Semaphore completed = new Semaphore(0);
    private StreamingBodyUpstream upstream;
    private GuardedProxyHandler handler;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        upstream = StreamingBodyUpstream.start();
        UpstreamGuard guard = UpstreamGuard.builder()
                .policy(PolicyBinder.bind(Map.of("upstream-guard.health.consecutive-failures", "1"),
                        "upstream-guard.", k -> false))
                .addListener(events)
                .build();
        handler = UpstreamGuardProxy.builder().timeouts(ConformanceRun.TIMEOUTS).guard(guard)
                .route(new Route("r", "/x", List.of(upstream.baseUri()), true))
                .build();
        proxy = ProxyServer.start(new Handler.Wrapper(handler) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return super.handle(request, response, new Callback() {
                    @Override
                    public void succeeded() {
                        callback.succeeded();
                        completed.release();
                    }

                    @Override
                    public void failed(Throwable x) {
                        callback.failed(x);
                        completed.release();
                    }

                    @Override
                    public InvocationType getInvocationType() {
                        return callback.getInvocationType();
                    }
                });
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    @Test
    void aClientClosingMidBodyIsNotAnUpstreamFailure() throws Exception {
        try (Socket client = request("/x/body")) {
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            StringBuilder head = new StringBuilder();
            long total = 0;
            int read;
            while ((head.indexOf("\r\n\r\n") < 0 || total < 64 * 1024) && (read = in.read(buffer)) > 0) {
                if (head.indexOf("\r\n\r\n") < 0) {
                    head.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                }
                total += read;
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 200");
        } // closed mid-body
        assertThat(upstream.awaitClosedByProxy(WAIT_MILLIS)).as("the proxy stops reading the upstream").isTrue();
        assertThat(completed.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS)).as("the exchange ended").isTrue();

        assertNothingBlamedOnTheUpstream();
    }

    @Test
    void aClientClosingBeforeTheHeadIsNotAnUpstreamFailure() throws Exception {
        upstream.holdHeads();
        Socket client = request("/x/held");
        assertThat(upstream.awaitRequest(WAIT_MILLIS)).as("the request reached the upstream").isTrue();
        client.close();
        upstream.releaseHead();
        assertThat(upstream.awaitClosedByProxy(WAIT_MILLIS)).as("the proxy stops reading the upstream").isTrue();
        assertThat(completed.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS)).as("the exchange ended").isTrue();

        assertNothingBlamedOnTheUpstream();
    }

    private void assertNothingBlamedOnTheUpstream() {
        assertThat(events.failures).as("no failure reported for the upstream").isEmpty();
        assertThat(events.health).as("no health change").isEmpty();
        assertThat(handler.upstreamPool("r").health()).as("passive health counted nothing").singleElement()
                .satisfies(h -> assertThat(h.consecutiveFailures()).isZero())
                .matches(h -> !h.ejected());
    }

    private Socket request(String path) throws IOException {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        client.setSoTimeout((int) WAIT_MILLIS);
        OutputStream out = client.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return client;
    }
}
