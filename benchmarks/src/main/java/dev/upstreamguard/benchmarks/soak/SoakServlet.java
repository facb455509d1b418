package dev.upstreamguard.benchmarks.soak;

import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.jdk.ValidatingBodyHandler;
import dev.upstreamguard.servlet.ServletUpstreamGuard;
import dev.upstreamguard.testkit.Scenarios;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET|POST /call/<path>?soak=<id>&up=a|b}: calls {@code <path>} on upstream A or B with the JDK
 * HttpClient (a POST with the request's body), validates the head with the guard and relays the answer,
 * streaming the body.
 */
final class SoakServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient SoakUpstreams upstreams;
    private final transient AtomicReference<BucketBackend> backend;
    private final transient HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Scenarios.RECOMMENDED_CONNECT_TIMEOUT).build();

    SoakServlet(SoakUpstreams upstreams, AtomicReference<BucketBackend> backend) {
        this.upstreams = upstreams;
        this.backend = backend;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        URI base = "/refused".equals(path) ? upstreams.refusedBase()
                : "b".equals(req.getParameter("up")) ? upstreams.b().baseUri() : upstreams.a().baseUri();
        URI target = URI.create(base + path + "?soak=" + Long.parseLong(req.getParameter("soak")));
        HttpRequest.BodyPublisher body = "POST".equals(req.getMethod())
                ? HttpRequest.BodyPublishers.ofByteArray(req.getInputStream().readAllBytes())
                : HttpRequest.BodyPublishers.noBody();
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Scenarios.RECOMMENDED_RESPONSE_TIMEOUT)
                .method(req.getMethod(), body).build();
        ServletUpstreamGuard guard = ServletUpstreamGuard.from(req);
        backend.compareAndSet(null, guard.guard().bucketBackend());
        HttpResponse<InputStream> answer;
        try {
            answer = client.send(request, ValidatingBodyHandler.of(guard.guard(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while calling the upstream");
        }
        int status = answer.statusCode();
        resp.setStatus(status);
        answer.headers().firstValue("content-length").ifPresent(length -> resp.setHeader("Content-Length", length));
        if (status >= 500) { // the upstream's own 5xx, with our Proxy-Status member
            List<String> received = answer.headers().allValues("proxy-status");
            resp.setHeader("Proxy-Status", guard.passThrough(req, status, received));
        }
        resp.flushBuffer(); // the head now, as a proxy would; the body follows as it arrives
        try (InputStream in = answer.body()) {
            in.transferTo(resp.getOutputStream());
        }
    }
}
