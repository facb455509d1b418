package dev.upstreamguard.gateway;

import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.UpstreamHealth;
import dev.upstreamguard.testkit.StreamingBodyUpstream;
import io.netty.channel.Channel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.WebFilter;
import reactor.netty.Connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that goes away is not an upstream failure: a client closing its connection while the gateway relays
 * a healthy upstream's body, or as its head arrives (what a load generator does at the end of a run), must
 * not be reported as a failure of the upstream, nor counted by its passive health.
 */
@SpringBootTest(classes = {GatewayTestApp.class, ClientDisconnectTest.Recording.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClientDisconnectTest {
    static final StreamingBodyUpstream UPSTREAM = StreamingBodyUpstream.start();
    private static final long WAIT_MILLIS = 10_000;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        Map<String, Object> p = new LinkedHashMap<>(GatewayTestApp.commonProperties());
        GatewayTestApp.route(p, 4, "streaming", UPSTREAM.baseUri(), "/direct/**");
        p.put(GatewayTestApp.GW + "routes[4].filters[0]", "StripPrefix=1");
        GatewayTestApp.route(p, 5, "streaming-lb", java.net.URI.create("lb://streaming"), "/lb/**");
        p.put(GatewayTestApp.GW + "routes[5].filters[0]", "StripPrefix=1");
        p.put("spring.cloud.discovery.client.simple.instances.streaming[0].uri", UPSTREAM.baseUri().toString());
        p.put("upstream-guard.health.consecutive-failures", 1);
        p.forEach((k, v) -> registry.add(k, () -> v));
    }

    @Autowired
    Environment environment;

    @Autowired
    Recording recording;

    @Autowired
    LoadBalancedPools pools;

    @BeforeEach
    void clear() {
        recording.failures.clear();
        recording.health.clear();
        recording.completed.drainPermits();
        recording.connections.clear();
        UPSTREAM.holdHeads();
    }

    @Test
    void aClientClosingMidBodyIsNotAnUpstreamFailure() throws Exception {
        for (String path : List.of("/direct/body", "/lb/body")) {
            try (Socket client = request(path)) {
                readHeadAndSomeBody(client.getInputStream());
            } // closed mid-body, as wrk does at the end of a run
            assertThat(UPSTREAM.awaitClosedByProxy(WAIT_MILLIS)).as("the gateway stops reading the upstream").isTrue();
            assertThat(recording.completed.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS)).as("the exchange ended").isTrue();
        }

        assertNothingBlamedOnTheUpstream();
    }

    /**
     * The client's connection closes just as the upstream's head arrives: the gateway's first write to it fails
     * ({@code AbortedException: Connection has been closed BEFORE send operation}) before Reactor Netty has told
     * the exchange that its connection is gone. Under load the window is narrow (a load generator closing its
     * connections at the end of a run hits it a few times per run); here the client connection's event loop is
     * held between the close and its inactive event, so the head always arrives in the window.
     */
    @Test
    void aClientConnectionClosedAsTheHeadArrivesIsNotAnUpstreamFailure() throws Exception {
        for (String path : List.of("/direct/held", "/lb/held")) {
            UPSTREAM.holdHeads();
            try (Socket client = request(path)) {
                assertThat(UPSTREAM.awaitRequest(WAIT_MILLIS)).as("the request reached the upstream").isTrue();
                Channel connection = recording.connections.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                assertThat(connection).isNotNull();
                CountDownLatch closed = new CountDownLatch(1);
                CountDownLatch hold = new CountDownLatch(1);
                connection.eventLoop().execute(() -> {
                    connection.close(); // closed now; its inactive event is queued behind this task
                    closed.countDown();
                    awaitQuietly(hold);
                });
                try {
                    assertThat(closed.await(WAIT_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
                    UPSTREAM.releaseHead();
                    assertThat(recording.completed.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS))
                            .as("the exchange ended").isTrue();
                } finally {
                    hold.countDown();
                }
            }
        }

        assertNothingBlamedOnTheUpstream();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void assertNothingBlamedOnTheUpstream() {
        assertThat(recording.failures).as("no failure reported for the upstream").isEmpty();
        assertThat(recording.health).as("no health change").isEmpty();
        assertThat(pools.health("streaming")).as("passive health counted nothing").isNotEmpty()
                .allSatisfy(h -> assertThat(h.consecutiveFailures()).isZero())
                .noneMatch(UpstreamHealth::ejected);
    }

    private Socket request(String path) throws IOException {
        Socket client = new Socket(InetAddress.getLoopbackAddress(),
                Integer.parseInt(environment.getProperty("local.server.port")));
        client.setSoTimeout((int) WAIT_MILLIS);
        OutputStream out = client.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return client;
    }

    /** Reads the response head and at least 64 KiB of its body. */
    private static void readHeadAndSomeBody(InputStream in) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        StringBuilder head = new StringBuilder();
        long total = 0;
        int read;
        while ((read = in.read(buffer)) > 0) {
            if (head.indexOf("\r\n\r\n") < 0) {
                head.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
            }
            total += read;
            if (head.indexOf("\r\n\r\n") >= 0 && total > 64 * 1024) {
                break;
            }
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 200");
    }

    /** Records the guard's failure and health events, and every exchange the gateway ended. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Recording implements GuardListener {
        final List<FailureEvent> failures = new CopyOnWriteArrayList<>();
        final List<HealthEvent> health = new CopyOnWriteArrayList<>();
        final Semaphore completed = new Semaphore(0);
        final BlockingQueue<Channel> connections = new LinkedBlockingQueue<>();

        @Override
        public void onFailure(FailureEvent event) {
            failures.add(event);
        }

        @Override
        public void onHealthChange(HealthEvent event) {
            health.add(event);
        }

        /** Outside every gateway filter: the exchange is over when its chain ended, however it ended. */
        @Bean
        WebFilter exchangeEnded() {
            return new OrderedEnded(completed, connections);
        }
    }

    private record OrderedEnded(Semaphore completed, BlockingQueue<Channel> connections) implements WebFilter, Ordered {
        @Override
        public reactor.core.publisher.Mono<Void> filter(org.springframework.web.server.ServerWebExchange exchange,
                                                      org.springframework.web.server.WebFilterChain chain) {
            Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
            if (nativeRequest instanceof Connection connection) {
                connections.add(connection.channel());
            }
            return chain.filter(exchange).doFinally(signal -> completed.release());
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }
}
