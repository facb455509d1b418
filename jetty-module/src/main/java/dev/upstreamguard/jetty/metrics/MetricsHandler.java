package dev.upstreamguard.jetty.metrics;

import dev.upstreamguard.core.CidrSet;
import dev.upstreamguard.jetty.OperatorEndpoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Serves a Prometheus registry's scrape text ({@code text/plain; version=0.0.4}, {@code Cache-Control:
 * no-store}) at one path to trusted clients, like the status page: only clients whose connection address is
 * in the trusted set see it, everyone else gets the server's ordinary 404. Other paths go to the wrapped
 * handler, or are left unhandled when there is none. Stopping it closes the meter binders it was given
 * (JVM GC notifications, for instance).
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * UpstreamGuard guard = UpstreamGuard.builder().addListener(new UpstreamGuardMetrics(registry)).build();
 * server.insertHandler(new MetricsHandler("/upstream-guard/metrics", registry, CidrSet.loopback()));
 * }</pre>
 */
public class MetricsHandler extends Handler.Wrapper {
    /** The Prometheus text exposition format, which every Prometheus version scrapes: {@value}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final String path;
    private final PrometheusMeterRegistry registry;
    private final CidrSet trustedClients;
    private final List<AutoCloseable> closeOnStop = new ArrayList<>();

    /**
     * The scrape at {@code path} for {@code trustedClients}.
     *
     * @param path           {@code /} followed by a path, not ending with {@code /}, without query or fragment
     * @param registry       what is scraped
     * @param trustedClients connection addresses that may scrape ({@link CidrSet#empty()}: nobody)
     * @throws IllegalArgumentException naming the bad path and what is accepted
     */
    public MetricsHandler(String path, PrometheusMeterRegistry registry, CidrSet trustedClients) {
        if (path == null || !path.matches("/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*")) {
            throw new IllegalArgumentException("metrics path must be '/' and segments of A-Z a-z 0-9 . _ ~ -"
                    + " separated by '/', not ending with '/', such as /upstream-guard/metrics; was " + path);
        }
        this.path = path;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.trustedClients = Objects.requireNonNull(trustedClients, "trustedClients");
    }

    /** The scrape's path. */
    public String path() {
        return path;
    }

    /** The registry scraped. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Closes {@code binder} when this handler stops (binders that hold listeners or threads). */
    public void closeOnStop(AutoCloseable binder) {
        closeOnStop.add(Objects.requireNonNull(binder, "binder"));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!Request.getPathInContext(request).equals(path)) {
            return super.handle(request, response, callback);
        }
        if (OperatorEndpoint.refused(request, response, callback, trustedClients)) {
            return true;
        }
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        byte[] bytes = registry.scrape(CONTENT_TYPE).getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes), callback);
        return true;
    }

    @Override
    protected void doStop() throws Exception {
        try {
            super.doStop();
        } finally {
            for (AutoCloseable binder : closeOnStop) {
                binder.close();
            }
            registry.close();
        }
    }

    @Override
    public String toString() {
        return "MetricsHandler[" + path + ", trusted " + trustedClients + "]";
    }
}
