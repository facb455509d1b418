package dev.upstreamguard.benchmarks.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on a fixed loopback port in front of one upstream. It counts every request it forwards by the
 * {@code soak=<id>} in its request line (so each request's deliveries are known exactly), and it can be taken
 * down (listener and every relayed connection closed: new connections are refused) and brought up again on
 * the same port. A request whose connection was cut by going down is remembered as cut.
 */
final class FlappingRelay implements AutoCloseable {
    private static final byte[] MARK = "soak=".getBytes(StandardCharsets.US_ASCII);

    private final String name;
    private final int targetPort;
    private final int port;
    private final ExecutorService threads;
    private final Map<Long, AtomicInteger> forwarded = new ConcurrentHashMap<>();
    private final Set<Long> cut = ConcurrentHashMap.newKeySet();
    private final Set<Pipe> pipes = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private volatile boolean up;

    FlappingRelay(String name, URI target) throws IOException {
        this.name = name;
        this.targetPort = target.getPort();
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "soak-relay-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ServerSocket first = listen(0);
        this.port = first.getLocalPort();
        start(first);
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    String name() {
        return name;
    }

    boolean isUp() {
        return up;
    }

    /** How often the request with this id was forwarded to the upstream; forgets the id. */
    int takeForwarded(long id) {
        AtomicInteger c = forwarded.remove(id);
        return c == null ? 0 : c.get();
    }

    /** Whether a connection that carried this request was cut by {@link #down()}; forgets the id. */
    boolean takeCut(long id) {
        return cut.remove(id);
    }

    /** Ids still counted as forwarded: once every answer was taken, requests forwarded after their answer. */
    int remembered() {
        return forwarded.size();
    }

    /** Refuses new connections and closes the relayed ones. */
    synchronized void down() {
        if (!up) {
            return;
        }
        up = false;
        close(listener);
        for (Pipe p : pipes) {
            p.cut();
        }
    }

    /** Listens on the same port again. */
    synchronized void up() throws IOException {
        if (up) {
            return;
        }
        start(listen(port));
    }

    @Override
    public synchronized void close() {
        down();
        threads.shutdownNow();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 200);
        return s;
    }

    private void start(ServerSocket s) {
        listener = s;
        up = true;
        threads.execute(() -> accept(s));
    }

    private void accept(ServerSocket s) {
        while (true) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException closed) {
                return;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), targetPort), 2000);
            } catch (IOException e) {
                close(client);
                close(upstream);
                continue;
            }
            Pipe pipe = new Pipe(client, upstream);
            pipes.add(pipe);
            if (!up) {
                pipe.cut();
                continue;
            }
            threads.execute(pipe::requests);
            threads.execute(pipe::responses);
        }
    }

    /** One relayed connection. */
    private final class Pipe {
        private final Socket client;
        private final Socket upstream;
        private volatile long lastId = -1;

        Pipe(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void cut() {
            long id = lastId;
            if (id >= 0) {
                cut.add(id);
            }
            try {
                client.setSoLinger(true, 0); // RST, as a crashed upstream
            } catch (SocketException ignored) {
                // closed already
            }
            close(client);
            close(upstream);
            pipes.remove(this);
        }

        void requests() {
            byte[] buf = new byte[8192];
            int matched = 0;        // bytes of MARK matched so far
            long id = -1;           // digits being read after MARK, or -1
            try (InputStream in = client.getInputStream(); OutputStream out = upstream.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    for (int i = 0; i < n; i++) {
                        byte b = buf[i];
                        if (id >= 0) {
                            if (b >= '0' && b <= '9') {
                                id = id * 10 + (b - '0');
                                continue;
                            }
                            lastId = id;
                            forwarded.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                            id = -1;
                        }
                        matched = b == MARK[matched] ? matched + 1 : (b == MARK[0] ? 1 : 0);
                        if (matched == MARK.length) {
                            matched = 0;
                            id = 0;
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ended) {
                // either side closed
            } finally {
                close(client);
                close(upstream);
                pipes.remove(this);
            }
        }

        void responses() {
            try (InputStream in = upstream.getInputStream(); OutputStream out = client.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ended) {
                try {
                    client.setSoLinger(true, 0); // pass an upstream reset on as a reset
                } catch (SocketException ignored) {
                    // closed already
                }
            } finally {
                close(client);
                close(upstream);
            }
        }
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // best effort
        }
    }
}
