package dev.upstreamguard.testkit;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 upstream on raw sockets that misbehaves on purpose: each request path
 * {@code /fault/<name>} selects one {@link Fault}; any other path gets a plain 404.
 *
 * <p>It reads the whole request head (and discards a {@code Content-Length} or chunked request body)
 * before it answers. Well-behaved answers ({@link Fault#CONTROL_OK}, the upstream 5xx faults, 103 then
 * 200, the 404) keep the connection alive; every other fault ends the connection. It also offers a
 * {@linkplain #refusedUri() refused port}, a {@linkplain #connectTimeoutUri() port where connect times
 * out} and an {@linkplain #unresolvableUri() unresolvable name}, all on loopback.
 *
 * <p>Connections are served by a cached pool of daemon threads; {@link #close()} closes every socket,
 * stalled ones included, and the threads end.
 */
public final class MisbehavingUpstream implements AutoCloseable {

    /** The exact body of {@link Fault#CONTROL_OK} (US-ASCII; see {@link #controlBodyBytes()}). */
    public static final String CONTROL_BODY = "upstream-guard control response: everything is fine\n";
    /** The default pause between two pieces of {@link Fault#SLOW_HEAD}. */
    public static final Duration DEFAULT_TRICKLE_INTERVAL = Duration.ofMillis(200);
    /** How many pieces {@link Fault#SLOW_HEAD} cuts the head into (one per trickle interval). */
    public static final int SLOW_HEAD_PIECES = FaultScripts.SLOW_HEAD_PIECES;

    static final InetAddress LOOPBACK = loopbackIPv4();
    private static final URI UNRESOLVABLE = URI.create("http://upstream-guard-test.invalid:80/");

    private final ServerSocket listener;
    private final Socket refusedPortHolder;
    private final Duration trickleInterval;
    private final ExecutorService threads;
    private final Set<Socket> openConnections = ConcurrentHashMap.newKeySet();
    private final Map<Fault, Integer> requestCounts = new EnumMap<>(Fault.class);
    private final Object countLock = new Object();
    private ConnectTimeoutTrap connectTimeoutTrap;
    private volatile boolean closed;

    private MisbehavingUpstream(Duration trickleInterval, ServerSocket listener) throws IOException {
        this.trickleInterval = trickleInterval;
        this.listener = listener;
        this.refusedPortHolder = bindWithoutListening();
        this.threads = Executors.newCachedThreadPool(daemonThreads("misbehaving-upstream-" + listener.getLocalPort()));
        threads.execute(this::acceptLoop);
    }

    /** Starts an upstream on {@code 127.0.0.1} and an ephemeral port, with the default trickle interval. */
    public static MisbehavingUpstream start() {
        return start(DEFAULT_TRICKLE_INTERVAL);
    }

    /**
     * Starts an upstream on {@code 127.0.0.1} and an ephemeral port; {@link Fault#SLOW_HEAD} waits
     * {@code trickleInterval} before each of its {@link #SLOW_HEAD_PIECES} pieces.
     */
    public static MisbehavingUpstream start(Duration trickleInterval) {
        if (trickleInterval.isNegative()) {
            throw new IllegalArgumentException("trickleInterval must not be negative: " + trickleInterval);
        }
        try {
            return new MisbehavingUpstream(trickleInterval, new ServerSocket(0, 50, LOOPBACK));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the misbehaving upstream", e);
        }
    }

    /**
     * Starts an upstream on {@code 127.0.0.1:port}, a port another socket of this JVM holds with
     * {@code SO_REUSEPORT} (see {@link SwitchableUpstream}); the listener sets it too.
     */
    static MisbehavingUpstream startSharing(int port) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            listener.bind(new InetSocketAddress(LOOPBACK, port), 50);
            return new MisbehavingUpstream(DEFAULT_TRICKLE_INTERVAL, listener);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on the shared port " + port, e);
        }
    }

    /** A fresh copy of the bytes of {@link #CONTROL_BODY}, the body {@link Fault#CONTROL_OK} sends. */
    public static byte[] controlBodyBytes() {
        return FaultScripts.ascii(CONTROL_BODY);
    }

    /** The port this upstream listens on. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** {@link #baseUri()} followed by {@link Fault#path()}. */
    public URI uri(Fault fault) {
        return URI.create(baseUri() + fault.path());
    }

    /**
     * A loopback URI (path {@code /refused}) whose port refuses connections: a socket is bound to it but
     * never listens, so the kernel answers a SYN with RST, and the held binding keeps the port from
     * being reused while this upstream is open.
     */
    public URI refusedUri() {
        return URI.create("http://127.0.0.1:" + refusedPortHolder.getLocalPort() + "/refused");
    }

    /**
     * A loopback URI (path {@code /connect-timeout}) whose port never completes a TCP handshake, so
     * connect times out: a listener with backlog 1 never accepts and its accept queue is kept full by
     * connections we hold, so the kernel drops further SYNs. Set up on the first call (about 250 ms).
     */
    public URI connectTimeoutUri() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("upstream is closed");
            }
            if (connectTimeoutTrap == null) {
                connectTimeoutTrap = ConnectTimeoutTrap.open();
            }
            return URI.create("http://127.0.0.1:" + connectTimeoutTrap.port() + "/connect-timeout");
        }
    }

    /**
     * {@code http://upstream-guard-test.invalid:80/}: {@code .invalid} never resolves (RFC 6761 §6.4),
     * and with the test kit's hosts file ({@code -Djdk.net.hosts.file}) the lookup fails locally.
     */
    public static URI unresolvableUri() {
        return UNRESOLVABLE;
    }

    /** How many complete requests arrived on the path of {@code fault} so far. */
    public int requestCount(Fault fault) {
        synchronized (countLock) {
            return requestCounts.getOrDefault(fault, 0);
        }
    }

    /**
     * Waits until at least {@code n} requests arrived on the path of {@code fault}.
     *
     * @throws TimeoutException when fewer arrived within {@code timeout}
     */
    public void awaitRequests(Fault fault, int n, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (countLock) {
            while (requestCounts.getOrDefault(fault, 0) < n) {
                long leftNanos = deadline - System.nanoTime();
                if (leftNanos <= 0) {
                    throw new TimeoutException("expected " + n + " requests on " + fault.path() + " within "
                            + timeout + ", got " + requestCounts.getOrDefault(fault, 0));
                }
                countLock.wait(Math.max(1, leftNanos / 1_000_000));
            }
        }
    }

    /** Closes the listener, every connection (stalled ones included) and the helper ports; threads end. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (connectTimeoutTrap != null) {
                connectTimeoutTrap.close();
            }
        }
        closeQuietly(listener);
        closeQuietly(refusedPortHolder);
        openConnections.forEach(MisbehavingUpstream::closeQuietly);
        threads.shutdownNow();
    }

    @Override
    public String toString() {
        return "MisbehavingUpstream[" + baseUri() + "]";
    }

    static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return; // the listener was closed
            }
            openConnections.add(socket);
            if (closed) {
                closeQuietly(socket);
                return;
            }
            try {
                threads.execute(new UpstreamConnection(socket, trickleInterval, this::recordRequest,
                        () -> openConnections.remove(socket)));
            } catch (RejectedExecutionException closedMeanwhile) {
                closeQuietly(socket);
                return;
            }
        }
    }

    private void recordRequest(Fault fault) {
        synchronized (countLock) {
            requestCounts.merge(fault, 1, Integer::sum);
            countLock.notifyAll();
        }
    }

    private static Socket bindWithoutListening() throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(LOOPBACK, 0));
        return socket;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static InetAddress loopbackIPv4() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
