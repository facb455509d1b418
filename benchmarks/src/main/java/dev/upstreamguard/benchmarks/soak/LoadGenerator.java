package dev.upstreamguard.benchmarks.soak;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A loopback load generator: a fixed pool of {@code connections} workers, each sending one request after the
 * other (the JDK HttpClient, HTTP/1.1, keep-alive) with a case drawn from {@link Case#MIX}, as client
 * {@code c<worker>} ({@link SoakPolicy#CLIENT_HEADER}). POSTs carry a 2 KiB body.
 */
final class LoadGenerator {
    static final byte[] POST_BODY = filled(2048);

    private final Packaging packaging;
    private final int connections;
    private final HttpClient client;
    private final AtomicLong ids = new AtomicLong();
    private final Consumer<Answer> sink;

    /** Each answer goes to {@code sink} (from the workers' threads) as soon as it is complete. */
    LoadGenerator(Packaging packaging, int connections, Consumer<Answer> sink) {
        this.packaging = packaging;
        this.connections = connections;
        this.sink = sink;
        AtomicInteger n = new AtomicInteger();
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "soak-loadgen-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                })).build();
    }

    /** Sends requests with every worker until {@code duration} is over, then waits for the last answers. */
    void run(Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        AtomicInteger worker = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(connections, r -> {
            Thread t = new Thread(r, "soak-client-" + worker.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (int w = 0; w < connections; w++) {
            String clientName = "c" + w;
            workers.execute(() -> {
                while (System.nanoTime() - deadline < 0) {
                    sink.accept(send(clientName));
                }
            });
        }
        workers.shutdown();
        if (!workers.awaitTermination(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
            workers.shutdownNow();
            throw new IllegalStateException("workers still busy a minute after the end");
        }
    }

    private Answer send(String clientName) {
        long id = ids.incrementAndGet();
        Case c = Case.pick(ThreadLocalRandom.current().nextInt(100));
        boolean upstreamB = packaging.clientChoosesUpstream() && (id & 1) == 1;
        URI uri = URI.create(packaging.base() + packaging.pathOf(c, id, upstreamB));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                .header(SoakPolicy.CLIENT_HEADER, clientName);
        if ("POST".equals(c.method())) {
            request.POST(HttpRequest.BodyPublishers.ofByteArray(POST_BODY)).header("Content-Type", "application/octet-stream");
        }
        long started = System.nanoTime();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            return new Answer(id, c, upstreamB, started, System.nanoTime(), 0, null, false, false, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(id, c, upstreamB, started, System.nanoTime(), 0, null, false, false, "interrupted");
        }
        String error = Answer.errorOf(response.headers().firstValue("proxy-status").orElse(null));
        boolean control = false;
        boolean truncated = false;
        try (InputStream in = response.body()) {
            control = Answer.isControl(in.readAllBytes());
        } catch (IOException e) {
            truncated = true;
        }
        return new Answer(id, c, upstreamB, started, System.nanoTime(), response.statusCode(), error, truncated, control, null);
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'x');
        return b;
    }
}
