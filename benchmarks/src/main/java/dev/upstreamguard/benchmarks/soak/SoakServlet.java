package dev.upstreamguard.benchmarks.soak;

import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.UpstreamFailureException;
import dev.upstreamguard.core.ValidationContext;
import dev.upstreamguard.core.validate.ValidationResult;
import dev.upstreamguard.servlet.ServletUpstreamGuard;
import dev.upstreamguard.testkit.Scenarios;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * {@code GET|POST /call/<path>?soak=<id>&up=a|b}: calls {@code <path>} on upstream A or B with Jetty's
 * {@link HttpClient} (a POST with the request's body), validates the head with the guard and relays the answer,
 * streaming the body. An upstream failure is answered by the guard
 * ({@link ServletUpstreamGuard#respond}), as a servlet proxy hands it over.
 *
 * <p>Not the JDK {@code HttpClient}: it never closes a connection whose response head it rejects (an
 * {@code Invalid status line} or {@code Invalid header name} leaves the socket open, two descriptors per request
 * on loopback, JDK 17 and 25 alike), and it sends a GET whose connection closed before a response a second time
 * by itself, which no property turns off. Jetty's client closes a connection it cannot parse and resends nothing.
 */
final class SoakServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** The longest silence while the body arrives, as the proxies' {@code timeouts.idle}. */
    private static final Duration BODY_IDLE_TIMEOUT = Duration.ofSeconds(3);

    private final transient SoakUpstreams upstreams;
    private final transient AtomicReference<BucketBackend> backend;
    private final transient HttpClient client;

    SoakServlet(SoakUpstreams upstreams, AtomicReference<BucketBackend> backend, HttpClient client) {
        this.upstreams = upstreams;
        this.backend = backend;
        this.client = client;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        URI base = "/refused".equals(path) ? upstreams.refusedBase()
                : "b".equals(req.getParameter("up")) ? upstreams.b().baseUri() : upstreams.a().baseUri();
        Request request = client.newRequest(URI.create(base + path + "?soak=" + Long.parseLong(req.getParameter("soak"))))
                .method(req.getMethod()).idleTimeout(BODY_IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if ("POST".equals(req.getMethod())) {
            request.body(new BytesRequestContent(req.getInputStream().readAllBytes()));
        }
        ServletUpstreamGuard guard = ServletUpstreamGuard.from(req);
        backend.compareAndSet(null, guard.guard().bucketBackend());
        // the body as a Content.Source: what the upstream sent before a failure is read before the failure
        CompletableFuture<Map.Entry<Response, Content.Source>> head = new CompletableFuture<>();
        request.onResponseContentSource((response, source) -> head.complete(Map.entry(response, source)));
        request.send(result -> {
            if (result.isFailed()) {
                head.completeExceptionally(result.getFailure());
            }
        });
        Map.Entry<Response, Content.Source> received;
        try {
            received = awaitHead(head, request);
        } catch (ExecutionException e) { // answered as the filter answers what escapes
            guard.respond(req, resp, e.getCause() != null ? e.getCause() : e, Phase.UNKNOWN);
            return;
        } catch (TimeoutException e) {
            guard.respond(req, resp, e, Phase.AWAIT_RESPONSE);
            return;
        }
        Response answer = received.getKey();
        ValidationResult verdict = guard.guard().validate(head(answer), ValidationContext.DEFAULT);
        if (!verdict.ok()) {
            request.abort(new IOException("response head rejected")); // its connection is closed, not reused
            guard.respond(req, resp, verdict.failure());
            return;
        }
        int status = answer.getStatus();
        resp.setStatus(status);
        String length = answer.getHeaders().get(HttpHeader.CONTENT_LENGTH);
        if (length != null) {
            resp.setHeader("Content-Length", length);
        }
        if (status >= 500) { // the upstream's own 5xx, with our Proxy-Status member
            resp.setHeader("Proxy-Status", guard.passThrough(req, status, answer.getHeaders().getValuesList("Proxy-Status")));
        }
        resp.flushBuffer(); // the head now, as a proxy would; the body follows as it arrives
        relay(Content.Source.asInputStream(received.getValue()), resp.getOutputStream(), guard);
    }

    /**
     * Copies the upstream's body to the client. A failure reading the upstream escapes with the phase observed
     * (the body), so the filter records "aborted while reading the body" and the container aborts the response.
     */
    private static void relay(InputStream upstream, OutputStream client, ServletUpstreamGuard guard) throws IOException {
        byte[] buffer = new byte[8192];
        try (upstream) {
            while (true) {
                int n;
                try {
                    n = upstream.read(buffer);
                } catch (IOException e) {
                    throw new UpstreamFailureException(guard.guard().classify(e, Phase.READ_BODY));
                }
                if (n < 0) {
                    return;
                }
                client.write(buffer, 0, n);
            }
        }
    }

    /** Waits for the response head within the response timeout; aborts the request when it is over. */
    private static <T> T awaitHead(CompletableFuture<T> head, Request request)
            throws IOException, ExecutionException, TimeoutException {
        try {
            return head.get(Scenarios.RECOMMENDED_RESPONSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            throw new InterruptedIOException("interrupted while calling the upstream");
        } catch (TimeoutException e) {
            request.abort(e);
            throw e;
        }
    }

    /** The head Jetty's client parsed, as the guard's {@link ResponseHead}. */
    private static ResponseHead head(Response answer) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (HttpField field : answer.getHeaders()) {
            fields.add(Map.entry(field.getName(), field.getValue()));
        }
        return ResponseHead.of(answer.getStatus(), answer.getReason(), fields);
    }
}
