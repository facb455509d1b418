package dev.upstreamguard.samples.demo;

import dev.upstreamguard.core.jdk.ValidatingBodyHandler;
import dev.upstreamguard.servlet.ServletUpstreamGuard;
import dev.upstreamguard.testkit.MisbehavingUpstream;
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
import java.util.NoSuchElementException;

/**
 * An ordinary servlet application: {@code GET /call?scenario=<name>} calls the misbehaving upstream
 * with the JDK HttpClient and relays its answer, streaming the body. Behind the filter it validates the
 * upstream head with the guard; without it, it is what most applications look like today.
 */
public final class UpstreamCallingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient MisbehavingUpstream upstream;
    private final transient HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Scenarios.RECOMMENDED_CONNECT_TIMEOUT)
            .build();

    /** Calls {@code upstream}. */
    public UpstreamCallingServlet(MisbehavingUpstream upstream) {
        this.upstream = upstream;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        URI target;
        try {
            target = Scenarios.named(String.valueOf(req.getParameter("scenario"))).uri(upstream);
        } catch (NoSuchElementException e) {
            resp.sendError(404, "no such scenario; see the demo's table for names");
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Scenarios.RECOMMENDED_RESPONSE_TIMEOUT).GET().build();
        ServletUpstreamGuard guard = ServletUpstreamGuard.from(req);
        HttpResponse.BodyHandler<InputStream> handler = guard == null
                ? HttpResponse.BodyHandlers.ofInputStream()
                : ValidatingBodyHandler.of(guard.guard(), HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> answer;
        try {
            answer = client.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while calling the upstream");
        }
        resp.setStatus(answer.statusCode());
        answer.headers().firstValue("content-type").ifPresent(resp::setContentType);
        answer.headers().firstValue("content-length").ifPresent(v -> resp.setHeader("Content-Length", v));
        if (guard != null && answer.statusCode() >= 500) {
            resp.setHeader("Proxy-Status", guard.passThrough(req, answer.statusCode(),
                    answer.headers().allValues("proxy-status")));
        }
        resp.flushBuffer();
        try (InputStream in = answer.body()) {
            OutputStream out = resp.getOutputStream();
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }
}
