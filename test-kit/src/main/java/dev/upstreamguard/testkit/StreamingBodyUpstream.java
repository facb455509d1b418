package dev.upstreamguard.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A loopback upstream with a healthy but long body: a {@code 200} head announcing 256 MiB, then 16 KiB writes
 * for as long as the proxy reads them, so the proxy is always relaying body bytes when its client goes away.
 * A request whose path contains {@code /held} gets its head only once {@link #releaseHead()} was called.
 * Every connection the proxy closes (a write to it fails, or it reads EOF) is counted.
 */
public final class StreamingBodyUpstream implements AutoCloseable {
    /** The body length the head announces (never all sent: the proxy is expected to stop reading first). */
    public static final long ANNOUNCED_LENGTH = 256L * 1024 * 1024;

    private final ServerSocket server;
    private final Semaphore requests = new Semaphore(0);
    private final Semaphore closedByProxy = new Semaphore(0);
    private volatile CountDownLatch headReleased = new CountDownLatch(1);

    private StreamingBodyUpstream(ServerSocket server) {
        this.server = server;
        Thread acceptor = new Thread(this::serve, "streaming-body-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts an upstream on {@code 127.0.0.1} and an ephemeral port (daemon threads). */
    public static StreamingBodyUpstream start() {
        try {
            return new StreamingBodyUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Waits until a request head arrived (one per call). */
    public boolean awaitRequest(long millis) throws InterruptedException {
        return requests.tryAcquire(millis, TimeUnit.MILLISECONDS);
    }

    /** Waits until the proxy closed one more connection (one per call). */
    public boolean awaitClosedByProxy(long millis) throws InterruptedException {
        return closedByProxy.tryAcquire(millis, TimeUnit.MILLISECONDS);
    }

    /** Lets the held requests' heads go. */
    public void releaseHead() {
        headReleased.countDown();
    }

    /** Holds the heads of the next held requests until {@link #releaseHead()}. */
    public void holdHeads() {
        headReleased = new CountDownLatch(1);
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread handler = new Thread(() -> handle(socket), "streaming-body-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            StringBuilder head = new StringBuilder();
            int read;
            while (!head.toString().contains("\r\n\r\n") && (read = in.read(buffer)) > 0) {
                head.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
            }
            if (!head.toString().contains("\r\n\r\n")) {
                return;
            }
            requests.release();
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            if (requestLine.contains("/held")) {
                if (!headReleased.await(10, TimeUnit.SECONDS)) {
                    return;
                }
            }
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                    + ANNOUNCED_LENGTH + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[16 * 1024];
            for (long sent = 0; sent < ANNOUNCED_LENGTH; sent += chunk.length) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException e) {
            closedByProxy.release(); // the proxy closed or reset the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting connections. */
    @Override
    public void close() throws IOException {
        server.close();
    }
}
