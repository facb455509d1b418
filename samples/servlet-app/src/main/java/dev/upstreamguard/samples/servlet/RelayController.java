package dev.upstreamguard.samples.servlet;

import dev.upstreamguard.core.jdk.ValidatingBodyHandler;
import dev.upstreamguard.servlet.ServletUpstreamGuard;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * {@code GET /api/<name>/<path>}: calls upstream {@code <name>} and relays its answer, streaming the body.
 * Upstream failures are not handled here: the client's exceptions leave the controller and the filter
 * answers them. The guard also checks the upstream's response head before anything is relayed
 * ({@link ValidatingBodyHandler}), and adds {@code received-status} to an upstream's own 5xx.
 */
@RestController
class RelayController {
    private final HttpClient client;
    private final SampleUpstreams upstreams;

    RelayController(HttpClient client, SampleUpstreams upstreams) {
        this.client = client;
        this.upstreams = upstreams;
    }

    @GetMapping("/api/{name}/**")
    void relay(@PathVariable String name, HttpServletRequest request, HttpServletResponse response) throws IOException {
        URI base = upstreams.upstreams().get(name);
        if (base == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no upstream named like that");
            return;
        }
        String rest = request.getRequestURI().substring(request.getContextPath().length() + "/api/".length() + name.length());
        String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
        HttpRequest call = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + rest + query))
                .timeout(upstreams.responseTimeout()).GET().build();
        ServletUpstreamGuard guard = ServletUpstreamGuard.from(request);
        HttpResponse.BodyHandler<InputStream> bodyHandler = guard == null ? HttpResponse.BodyHandlers.ofInputStream()
                : ValidatingBodyHandler.of(guard.guard(), HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> answer;
        try {
            answer = client.send(call, bodyHandler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for upstream " + name);
        }
        response.setStatus(answer.statusCode());
        answer.headers().firstValue("content-type").ifPresent(response::setContentType);
        answer.headers().firstValueAsLong("content-length").ifPresent(response::setContentLengthLong);
        if (guard != null && answer.statusCode() >= 500) {
            response.setHeader("Proxy-Status", guard.passThrough(request, answer.statusCode(),
                    answer.headers().allValues("proxy-status")));
        }
        try (InputStream body = answer.body()) {
            body.transferTo(response.getOutputStream());
        }
    }
}
