package dev.upstreamguard.servlet;

import dev.upstreamguard.core.jdk.ValidatingBodyHandler;
import dev.upstreamguard.testkit.Scenarios;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A typical servlet application: it calls another service with the JDK HttpClient (validating the
 * head with the guard) and relays the answer, streaming the body after committing the head.
 */
public final class RelayServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final Duration CONNECT_TIMEOUT = Scenarios.RECOMMENDED_CONNECT_TIMEOUT;
    static final Duration RESPONSE_TIMEOUT = Scenarios.RECOMMENDED_RESPONSE_TIMEOUT;

    private final transient HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        URI target = URI.create(req.getParameter("target"));
        relay(client, HttpRequest.newBuilder(target).timeout(RESPONSE_TIMEOUT).GET().build(), req, resp);
    }

    /**
     * Sends {@code request} with {@code client} (the head validated by the guard), then relays the status,
     * {@code Content-Type}, {@code Content-Length}, a {@code Proxy-Status} for an upstream 5xx and the body,
     * committing the head before the body.
     */
    static void relay(HttpClient client, HttpRequest request, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        ServletUpstreamGuard guard = ServletUpstreamGuard.from(req);
        HttpResponse<InputStream> upstream;
        try {
            upstream = client.send(request, ValidatingBodyHandler.of(guard.guard(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        resp.setStatus(upstream.statusCode());
        upstream.headers().firstValue("content-type").ifPresent(resp::setContentType);
        upstream.headers().firstValue("content-length").ifPresent(v -> resp.setHeader("Content-Length", v));
        if (upstream.statusCode() >= 500) {
            resp.setHeader("Proxy-Status", guard.passThrough(req, upstream.statusCode(),
                    upstream.headers().allValues("proxy-status")));
        }
        resp.flushBuffer();
        try (InputStream in = upstream.body()) {
            OutputStream out = resp.getOutputStream();
            byte[] buffer = new byte[1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }
}
