package dev.upstreamguard.jetty;

import dev.upstreamguard.core.CidrSet;
import dev.upstreamguard.status.StatusRegistry;
import dev.upstreamguard.status.StatusRenderer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.QuotedQualityCSV;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Serves the operator's status page in front of the guarded proxy: {@code GET <path>} answers the HTML page,
 * {@code GET <path>.json} (or {@code <path>} with {@code Accept: application/json}) the JSON document, both
 * {@code Cache-Control: no-store}. Only clients whose connection address is in the trusted set (default
 * loopback) see it; everyone else gets the server's ordinary 404, so the page is not advertised. Other paths
 * go to the wrapped handler, or are left unhandled when there is none (so it also works in a
 * {@code Handler.Sequence}).
 * <pre>{@code
 * StatusRegistry status = new StatusRegistry(new FailureHistory());
 * GuardedProxyHandler proxy = UpstreamGuardProxy.builder()
 *         .guard(UpstreamGuard.builder().addListener(status.history()).build())
 *         .route("/api", upstreams).build();
 * StatusHandler page = new StatusHandler(status);
 * page.setHandler(proxy);
 * server.setHandler(page);
 * }</pre>
 * The client address is the connection's ({@link Request#getRemoteAddr}); with a
 * {@code ForwardedRequestCustomizer} it is the forwarded one, so trust only forwarders you run.
 */
public class StatusHandler extends Handler.Wrapper {
    /** The default path: {@value}. */
    public static final String DEFAULT_PATH = "/upstream-guard/status";

    private static final String JSON_SUFFIX = ".json";
    private static final String HTML_TYPE = "text/html;charset=utf-8";
    private static final String JSON_TYPE = "application/json";
    /** The page has no script and loads nothing: forbid everything but its inline style. */
    private static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none';"
            + " base-uri 'none'; form-action 'none'";

    private final String path;
    private final StatusRegistry registry;
    private final CidrSet trustedClients;

    /** The page at {@value #DEFAULT_PATH} for loopback clients only. */
    public StatusHandler(StatusRegistry registry) {
        this(DEFAULT_PATH, registry, CidrSet.loopback());
    }

    /**
     * The page at {@code path} for {@code trustedClients}.
     *
     * @param path           {@code /} followed by a path, not ending with {@code /} or {@code .json}, without
     *                       query or fragment; the JSON form is at {@code path + ".json"}
     * @param registry       what the page shows
     * @param trustedClients connection addresses that may see it ({@link CidrSet#empty()}: nobody)
     * @throws IllegalArgumentException naming the bad path and what is accepted
     */
    public StatusHandler(String path, StatusRegistry registry, CidrSet trustedClients) {
        if (path == null || !path.startsWith("/") || path.length() < 2 || path.endsWith("/") || path.endsWith(JSON_SUFFIX)
                || path.contains("?") || path.contains("#") || path.contains("//")) {
            throw new IllegalArgumentException("status page path must start with '/', not end with '/' or '.json' and"
                    + " have no query or fragment, such as " + DEFAULT_PATH + "; was " + path);
        }
        this.path = path;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.trustedClients = Objects.requireNonNull(trustedClients, "trustedClients");
    }

    /** The HTML page's path. */
    public String path() {
        return path;
    }

    /** The JSON document's path. */
    public String jsonPath() {
        return path + JSON_SUFFIX;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String requested = Request.getPathInContext(request);
        boolean json;
        if (requested.equals(path)) {
            json = prefersJson(request);
        } else if (requested.equals(jsonPath())) {
            json = true;
        } else {
            return super.handle(request, response, callback);
        }
        if (OperatorEndpoint.refused(request, response, callback, trustedClients)) {
            return true;
        }
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        String body = json ? StatusRenderer.json(registry.report()) : StatusRenderer.html(registry.report());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, json ? JSON_TYPE : HTML_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        if (!json) {
            response.getHeaders().put("Content-Security-Policy", PAGE_POLICY);
        }
        if (requested.equals(path)) {
            response.getHeaders().put(HttpHeader.VARY, "Accept");
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes), callback);
        return true;
    }

    /** JSON when the client ranks {@code application/json} above HTML (RFC 9110 §12.5.1); HTML otherwise. */
    private static boolean prefersJson(Request request) {
        QuotedQualityCSV accept = new QuotedQualityCSV();
        for (String value : request.getHeaders().getValuesList(HttpHeader.ACCEPT)) {
            accept.addValue(value);
        }
        for (String type : accept.getValues()) {
            String mediaType = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (mediaType.equals(JSON_TYPE)) {
                return true;
            }
            if (mediaType.equals("text/html") || mediaType.equals("text/*") || mediaType.equals("*/*")) {
                return false;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "StatusHandler[" + path + ", trusted " + trustedClients + "]";
    }
}
