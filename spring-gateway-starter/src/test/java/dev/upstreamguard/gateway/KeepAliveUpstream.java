package dev.upstreamguard.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback upstream that keeps every connection open (HTTP/1.1 keep-alive) and answers by path with a
 * fixed raw head: well-formed ones, and ones a decoder would rewrite ({@code /bad-name}, {@code /space-name},
 * {@code /fold}). {@code /many} sends a valid head of {@link #MANY_FIELDS} fields in 7-byte TCP segments.
 * It records which connection each request came on and when the proxy closed a connection.
 */
final class KeepAliveUpstream implements AutoCloseable {
    static final int MANY_FIELDS = 120;
    private static final String BODY_FIELDS = "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";
    private static final Map<String, String> HEADS = Map.of(
            "/ok", "HTTP/1.1 200 OK\r\n" + BODY_FIELDS,
            "/bad-name", "HTTP/1.1 200 OK\r\nBad Header: x\r\n" + BODY_FIELDS,
            "/space-name", "HTTP/1.1 200 OK\r\nX-Foo : bar\r\n" + BODY_FIELDS,
            "/fold", "HTTP/1.1 200 OK\r\nX-Test: first\r\n second\r\n" + BODY_FIELDS);

    /** One request as received: its path and the number of the connection it came on (from 1). */
    record Request(String path, int connection) {
    }

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<Integer, CountDownLatch> closed = new ConcurrentHashMap<>();

    private KeepAliveUpstream(ServerSocket server) {
        this.server = server;
        Thread acceptor = new Thread(this::serve, "keep-alive-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static KeepAliveUpstream start() {
        try {
            return new KeepAliveUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The last request for {@code path}. */
    Request last(String path) {
        List<Request> all = requests();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).path().equals(path)) {
                return all.get(i);
            }
        }
        throw new AssertionError("no request for " + path + " in " + all);
    }

    /** Waits until the proxy closed connection number {@code connection}. */
    boolean awaitClosed(int connection, long millis) throws InterruptedException {
        return closed.computeIfAbsent(connection, c -> new CountDownLatch(1)).await(millis, TimeUnit.MILLISECONDS);
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                int number = connections.incrementAndGet();
                CountDownLatch latch = closed.computeIfAbsent(number, c -> new CountDownLatch(1));
                Thread handler = new Thread(() -> handle(socket, number, latch), "keep-alive-connection-" + number);
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket socket, int number, CountDownLatch latch) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String head;
            while ((head = readHead(in)) != null) {
                String target = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
                requests.add(new Request(target, number));
                if (target.equals("/many")) {
                    writeInSegments(out, manyFields());
                } else {
                    out.write(HEADS.getOrDefault(target, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            }
        } catch (IOException e) {
            // reset by the proxy: closed all the same
        } finally {
            latch.countDown();
        }
    }

    /** The next request head (GETs only: no body), or {@code null} when the proxy closed the connection. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
        return null;
    }

    private static String manyFields() {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < MANY_FIELDS; i++) {
            head.append("X-Field-").append(i).append(": value-").append(i).append("\r\n");
        }
        return head.append(BODY_FIELDS).toString();
    }

    private static void writeInSegments(OutputStream out, String response) throws IOException {
        byte[] bytes = response.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i += 7) {
            out.write(bytes, i, Math.min(7, bytes.length - i));
            out.flush(); // TCP_NODELAY: each piece its own segment, so the head arrives in many reads
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
