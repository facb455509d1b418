package dev.upstreamguard.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A loopback upstream whose body stalls: a {@code 200} head with {@code Content-Length: 1000}, 100 body bytes,
 * then nothing, until the proxy closes the connection (which it records).
 */
final class StalledBodyUpstream implements AutoCloseable {
    private final ServerSocket server;
    private volatile CountDownLatch closedByProxy = new CountDownLatch(1);

    private StalledBodyUpstream(ServerSocket server) {
        this.server = server;
        Thread acceptor = new Thread(this::serve, "stalled-body-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static StalledBodyUpstream start() throws IOException {
        return new StalledBodyUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Waits until the proxy closed the connection of the last request. */
    boolean awaitClosedByProxy(long millis) throws InterruptedException {
        return closedByProxy.await(millis, TimeUnit.MILLISECONDS);
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                closedByProxy = new CountDownLatch(1);
                CountDownLatch closed = closedByProxy;
                Thread handler = new Thread(() -> handle(socket, closed), "stalled-body-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void handle(Socket socket, CountDownLatch closed) {
        try (socket) {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int seen = 0;
            StringBuilder head = new StringBuilder();
            while (!head.toString().contains("\r\n\r\n") && (seen = in.read(buffer)) > 0) {
                head.append(new String(buffer, 0, seen, StandardCharsets.ISO_8859_1));
            }
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[100]);
            out.flush();
            while (in.read(buffer) >= 0) {
                // stall: wait for the proxy to give up and close
            }
            closed.countDown();
        } catch (IOException e) {
            closed.countDown(); // reset by the proxy
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
