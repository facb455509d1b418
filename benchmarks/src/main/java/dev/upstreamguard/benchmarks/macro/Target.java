package dev.upstreamguard.benchmarks.macro;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A proxy under load: its process (a JVM, or nginx's master), its port on 127.0.0.1 and, for a JVM, the port
 * of its {@link ProcessStatsEndpoint}.
 *
 * @param name      e.g. {@code jetty-stock}
 * @param process   the process; its descendants count too (nginx's workers)
 * @param port      where it proxies
 * @param statsPort the stats endpoint, {@code -1} for nginx
 */
public record Target(String name, Process process, int port, int statsPort) {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The URL of {@code path} on this target. */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Heap bytes the JVM allocated since it started, or {@code -1} for nginx. */
    public long allocatedBytes() throws IOException, InterruptedException {
        if (statsPort < 0) {
            return -1;
        }
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return Long.parseLong(r.body().trim().split(" ")[0]);
    }

    /** One GET of {@code path}: status, {@code Proxy-Status}, {@code Content-Type} and the start of the body. */
    public String describeAnswer(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(15))
                .build(), HttpResponse.BodyHandlers.ofString());
        String body = r.body().replaceAll("\\s+", " ").trim();
        return r.statusCode() + " | Proxy-Status: " + r.headers().firstValue("proxy-status").orElse("(none)")
                + " | Content-Type: " + r.headers().firstValue("content-type").orElse("(none)")
                + " | Retry-After: " + r.headers().firstValue("retry-after").orElse("(none)")
                + " | body: " + (body.length() > 220 ? body.substring(0, 220) + "…" : body);
    }

    /** Waits (bounded) until {@code path} answers 200. */
    public void awaitReady(String path, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " before it was ready");
            }
            try {
                HttpResponse<Void> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url(path)))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250); // polling a process we started, bounded by the deadline: no test, no race
        }
        throw new IOException(name + " did not answer 200 on " + path + " within " + timeout);
    }
}
