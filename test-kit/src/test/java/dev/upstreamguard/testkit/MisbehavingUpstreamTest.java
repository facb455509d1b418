package dev.upstreamguard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upstreamguard.testkit.RawClient.End;
import dev.upstreamguard.testkit.RawClient.Received;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The upstream's behaviour around the fault bytes: routing, keep-alive, counting, helper ports, closing. */
class MisbehavingUpstreamTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private MisbehavingUpstream upstream;

    @BeforeEach
    void start() {
        upstream = MisbehavingUpstream.start();
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void urisPointAtLoopbackAndTheFaultPath() {
        assertThat(upstream.baseUri()).isEqualTo(URI.create("http://127.0.0.1:" + upstream.port()));
        assertThat(upstream.uri(Fault.RESET_BEFORE_RESPONSE))
                .isEqualTo(URI.create("http://127.0.0.1:" + upstream.port() + "/fault/reset-before-response"));
        assertThat(Fault.UPSTREAM_503_RETRY_AFTER.path()).isEqualTo("/fault/upstream-503-retry-after");
        assertThat(Fault.HTTP09.path()).isEqualTo("/fault/http09");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/fault/upstream-502/extra/segments", "/fault/upstream-502?query=1", "/fault/upstream-502/",
        "http://127.0.0.1/fault/upstream-502"})
    void matchesTheFaultPathAsAPrefix(String target) throws Exception {
        try (RawClient client = new RawClient(upstream.port())) {
            client.send(RawClient.get(target));

            assertThat(client.readResponseWithContentLength()).startsWith("HTTP/1.1 502 Bad Gateway\r\n");
        }
        assertThat(upstream.requestCount(Fault.UPSTREAM_502)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/fault/upstream-5020", "/fault/", "/other/fault/upstream-502"})
    void answersAnythingElseWithAPlain404(String target) throws Exception {
        try (RawClient client = new RawClient(upstream.port())) {
            client.send(RawClient.get(target));

            assertThat(client.readResponseWithContentLength()).startsWith("HTTP/1.1 404 Not Found\r\n")
                    .endsWith("\r\n\r\nno such fault\n");
        }
    }

    @Test
    void keepsTheConnectionAliveForWellBehavedAnswers() throws Exception {
        try (RawClient client = new RawClient(upstream.port())) {
            client.send(RawClient.get(Fault.CONTROL_OK.path()));
            assertThat(client.readResponseWithContentLength()).endsWith(MisbehavingUpstream.CONTROL_BODY);
            client.send(RawClient.get(Fault.UPSTREAM_503_RETRY_AFTER.path()));
            assertThat(client.readResponseWithContentLength()).startsWith("HTTP/1.1 503 ").contains("Retry-After: 7\r\n");
            client.send(RawClient.get("/nothing-here"));
            assertThat(client.readResponseWithContentLength()).startsWith("HTTP/1.1 404 ");
            client.send(RawClient.get(Fault.CONTROL_OK.path(), "Connection: close"));

            Received last = client.readToEnd();

            assertThat(last.text()).startsWith("HTTP/1.1 200 OK\r\n").endsWith(MisbehavingUpstream.CONTROL_BODY);
            assertThat(last.end()).isEqualTo(End.FIN);
        }
        assertThat(upstream.requestCount(Fault.CONTROL_OK)).isEqualTo(2);
    }

    @Test
    void discardsARequestBodyBeforeAnsweringTheNextRequest() throws Exception {
        try (RawClient client = new RawClient(upstream.port())) {
            client.send("POST " + Fault.CONTROL_OK.path() + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(client.readResponseWithContentLength()).startsWith("HTTP/1.1 200 OK\r\n");
            client.send("POST " + Fault.UPSTREAM_500.path() + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\n");
            assertThat(client.readResponseWithContentLength()).startsWith("HTTP/1.1 500 ");
            client.send(RawClient.get(Fault.CONTROL_OK.path()));
            assertThat(client.readResponseWithContentLength()).startsWith("HTTP/1.1 200 OK\r\n");
        }
    }

    @Test
    void closesAfterAFaultEvenWhenTheClientWantsKeepAlive() throws Exception {
        try (RawClient client = new RawClient(upstream.port())) {
            client.send(RawClient.get(Fault.BAD_STATUS_LINE.path(), "Connection: keep-alive"));

            assertThat(client.readToEnd().end()).isEqualTo(End.FIN);
        }
    }

    @Test
    void answersGarbageWith400() throws Exception {
        try (RawClient client = new RawClient(upstream.port())) {
            client.send("this is not http\r\n\r\n");

            Received received = client.readToEnd();

            assertThat(received.text()).startsWith("HTTP/1.1 400 Bad Request\r\n");
            assertThat(received.end()).isEqualTo(End.FIN);
        }
    }

    @Test
    void slowHeadTricklesTheControlResponseInTenPieces() throws Exception {
        Duration interval = Duration.ofMillis(40);
        try (MisbehavingUpstream slow = MisbehavingUpstream.start(interval);
             RawClient client = new RawClient(slow.port())) {
            long started = System.nanoTime();
            client.send(RawClient.get(Fault.SLOW_HEAD.path()));

            String firstPiece = client.readSome();
            Received rest = client.readToEnd();

            assertThat(firstPiece).isNotEmpty().hasSizeLessThan(FaultScripts.controlHead().length() / 5);
            assertThat(firstPiece + rest.text()).isEqualTo(FaultScripts.controlHead() + MisbehavingUpstream.CONTROL_BODY);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isGreaterThanOrEqualTo(interval.multipliedBy(MisbehavingUpstream.SLOW_HEAD_PIECES));
        }
    }

    @Test
    void stallSendsNothingAndCloseEndsTheStalledConnectionPromptly() throws Exception {
        try (RawClient client = new RawClient(upstream.port())) {
            client.send(RawClient.get(Fault.STALL.path()));
            upstream.awaitRequests(Fault.STALL, 1, WAIT);
            client.timeout(200);
            Received beforeClose = client.readToEnd();
            assertThat(beforeClose.end()).isEqualTo(End.STILL_OPEN);
            assertThat(beforeClose.bytes()).isEmpty();

            client.timeout(2_000);
            long closing = System.nanoTime();
            upstream.close();
            Received afterClose = client.readToEnd();

            assertThat(afterClose.end()).isIn(End.FIN, End.RESET);
            assertThat(afterClose.bytes()).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void closeEndsEveryThreadAndTheListener() throws Exception {
        String threadPrefix = "misbehaving-upstream-" + upstream.port() + "-";
        try (RawClient stalled = new RawClient(upstream.port())) {
            stalled.send(RawClient.get(Fault.STALL.path()));
            upstream.awaitRequests(Fault.STALL, 1, WAIT);
            assertThat(threadsNamed(threadPrefix)).isPositive();

            upstream.close();

            long deadline = System.nanoTime() + WAIT.toNanos();
            while (threadsNamed(threadPrefix) > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(threadsNamed(threadPrefix)).isZero();
            assertThatThrownBy(() -> new Socket("127.0.0.1", upstream.port()).close()).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void countsRequestsPerFaultPath() throws Exception {
        assertThat(upstream.requestCount(Fault.RESET_BEFORE_RESPONSE)).isZero();

        RawClient.exchange(upstream.uri(Fault.RESET_BEFORE_RESPONSE));
        RawClient.exchange(URI.create(upstream.uri(Fault.RESET_BEFORE_RESPONSE) + "/again?x=1"));
        RawClient.exchange(upstream.uri(Fault.CLOSE_BEFORE_RESPONSE));

        upstream.awaitRequests(Fault.RESET_BEFORE_RESPONSE, 2, WAIT);
        assertThat(upstream.requestCount(Fault.RESET_BEFORE_RESPONSE)).isEqualTo(2);
        assertThat(upstream.requestCount(Fault.CLOSE_BEFORE_RESPONSE)).isEqualTo(1);
        assertThat(upstream.requestCount(Fault.CONTROL_OK)).isZero();
    }

    @Test
    void awaitRequestsTimesOutWhenTooFewArrive() throws Exception {
        RawClient.exchange(upstream.uri(Fault.UPSTREAM_504));

        assertThatThrownBy(() -> upstream.awaitRequests(Fault.UPSTREAM_504, 2, Duration.ofMillis(100)))
                .isInstanceOf(TimeoutException.class).hasMessageContaining("got 1");
    }

    @Test
    void awaitRequestsReturnsOnceARequestArrivesFromAnotherThread() throws Exception {
        Thread sender = new Thread(() -> {
            try {
                RawClient.exchange(upstream.uri(Fault.CONTROL_OK));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sender.start();

        upstream.awaitRequests(Fault.CONTROL_OK, 1, WAIT);

        assertThat(upstream.requestCount(Fault.CONTROL_OK)).isEqualTo(1);
        sender.join(WAIT.toMillis());
    }

    @Test
    void refusedUriRefusesTheConnection() {
        URI refused = upstream.refusedUri();

        assertThat(refused.getHost()).isEqualTo("127.0.0.1");
        assertThat(refused.getPath()).isEqualTo("/refused");
        assertThatThrownBy(() -> connect(refused, 2_000)).isInstanceOf(ConnectException.class);
    }

    @Test
    void connectTimeoutUriLetsConnectTimeOut() {
        URI timesOut = upstream.connectTimeoutUri();

        assertThat(timesOut.getHost()).isEqualTo("127.0.0.1");
        assertThat(upstream.connectTimeoutUri()).isEqualTo(timesOut);
        for (int attempt = 0; attempt < 3; attempt++) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> connect(timesOut, 300)).isInstanceOf(SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
        }
    }

    @Test
    void helperPortsAreReleasedOnClose() {
        URI refused = upstream.refusedUri();
        URI timesOut = upstream.connectTimeoutUri();

        upstream.close();

        assertThatThrownBy(() -> connect(timesOut, 2_000)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> connect(refused, 2_000)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(upstream::connectTimeoutUri).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unresolvableUriFailsToResolveLocally() {
        URI unresolvable = MisbehavingUpstream.unresolvableUri();

        assertThat(unresolvable).isEqualTo(URI.create("http://upstream-guard-test.invalid:80/"));
        assertThat(System.getProperty("jdk.net.hosts.file")).as("the test JVM must use the test kit's hosts file")
                .endsWith("dev/upstreamguard/testkit/hosts");
        assertThatThrownBy(() -> InetAddress.getByName(unresolvable.getHost())).isInstanceOf(UnknownHostException.class);
    }

    private static void connect(URI uri, int timeoutMillis) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), timeoutMillis);
        }
    }

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }
}
