package dev.upstreamguard.testkit.lifecycle;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One packaging of Upstream Guard as the {@link LifecycleConformance} suite drives it: start a proxy with
 * one route, send requests through it, stop it. Packaging-neutral: the suite says what to configure in
 * the core's own terms and judges only what a client and the upstreams saw.
 *
 * <p>The route forwards the request path as received to the upstream it chooses (no prefix added or
 * removed), with a connect timeout of about {@link dev.upstreamguard.testkit.Scenarios#RECOMMENDED_CONNECT_TIMEOUT}.
 */
public interface LifecycleHarness {

    /** The packaging's name, for messages, e.g. {@code jetty-module}. */
    String name();

    /** What this packaging does; sequences that need anything else are skipped. */
    Set<Capability> capabilities();

    /**
     * Starts a proxy with one route (stopping any started before).
     *
     * @param properties      core policy keys without prefix, as in the README's configuration reference
     *                        (e.g. {@code retry.conditions} → {@code reset}); everything else at its default
     * @param responseTimeout the packaging's response timeout for the route (the wait for the response
     *                        head); unless {@code retry.deadline} is set, also the request's whole deadline
     * @param upstreams       base URIs ({@code http://127.0.0.1:<port>}, no path) of the route's upstreams,
     *                        in rotation order; one unless the harness declares {@link Capability#SEVERAL_UPSTREAMS}
     */
    void start(Map<String, String> properties, Duration responseTimeout, List<URI> upstreams) throws Exception;

    /** Where a client sends a request so that the upstream receives {@code path} (after {@link #start}). */
    URI uri(String path);

    /**
     * Sends one HTTP/1.1 request and reads the whole response. By default with the JDK client on
     * {@link #uri(String)}, accepting {@code application/problem+json}; a body is sent with {@code Content-Length}.
     *
     * @param body the request body, or {@code null} for none
     */
    default Reply send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(15))
                .header("Accept", "application/problem+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.ISO_8859_1))
                .build();
        long start = System.nanoTime();
        HttpResponse<String> response = JdkClient.CLIENT.send(request,
                HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
        return new Reply(response.statusCode(), response.headers().map(), response.body(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * How often the HTTP client beneath the guard sends a GET, by itself, when the upstream closed or reset
     * the connection after reading it and before any response byte: 1 for a client that never retries.
     * Only a packaging whose <em>application</em> calls the upstream (the servlet filter) may answer more,
     * and only as its client documents it (e.g. {@link dev.upstreamguard.testkit.ClientDeviations#JDK_HTTP_CLIENT_SENDS_OF_A_DROPPED_GET});
     * the guard itself never adds an attempt by default.
     */
    default int sendsOfADroppedGet() {
        return 1;
    }

    /** Stops the proxy started last (no-op when none is running). */
    void stop() throws Exception;
}
