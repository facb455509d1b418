package dev.upstreamguard.jetty;

import dev.upstreamguard.core.ErrorResponse;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.RequestIds;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamFailureException;
import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.validate.HeadRepair;
import dev.upstreamguard.core.validate.HopByHop;
import dev.upstreamguard.core.validate.ValidationContext;
import dev.upstreamguard.core.validate.ValidationResult;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reverse proxy on Jetty 12 core whose every upstream failure is answered per the guard's taxonomy
 * (DESIGN §2): the head is validated before anything reaches the client, failures before commit get the
 * verdict ({@code Proxy-Status}, problem details, log line, metric), failures after commit abort the
 * client response so it is seen truncated, and upstream 5xx pass through with our member appended.
 *
 * <p>Requests whose path matches no route are not handled (the next handler answers them). Build one with
 * {@link UpstreamGuardProxy#builder()}.
 */
public class GuardedProxyHandler extends ProxyHandler {
    private static final String STATE_ATTRIBUTE = GuardedProxyHandler.class.getName() + ".exchange";
    private static final String PROXY_STATUS = UpstreamGuard.PROXY_STATUS;

    private final ProxyConfig config;
    private final UpstreamGuard guard;
    private final Map<String, AtomicInteger> rotation = new ConcurrentHashMap<>();

    /** A handler for {@code config}, answering failures with {@code guard}. */
    public GuardedProxyHandler(ProxyConfig config, UpstreamGuard guard) {
        this.config = config;
        this.guard = guard;
        setViaHost(config.viaPseudonym());
    }

    /** The configuration. */
    public ProxyConfig config() {
        return config;
    }

    /** The guard that answers failures. */
    public UpstreamGuard guard() {
        return guard;
    }

    @Override
    public boolean handle(Request clientToProxyRequest, Response proxyToClientResponse, Callback proxyToClientCallback) {
        Route route = config.match(Request.getPathInContext(clientToProxyRequest));
        if (route == null) {
            return false;
        }
        ProxiedExchange state = newExchange(clientToProxyRequest, route);
        clientToProxyRequest.setAttribute(STATE_ATTRIBUTE, state);
        if (ViaHeader.contains(clientToProxyRequest.getHeaders().getValuesList(HttpHeader.VIA), config.viaPseudonym())) {
            UpstreamFailure loop = UpstreamFailure.of(ErrorType.PROXY_LOOP_DETECTED, Phase.ADMISSION)
                    .withDetails("the request already passed through this proxy (Via)");
            writeVerdict(proxyToClientResponse, proxyToClientCallback, loop, state);
            return true;
        }
        try {
            return super.handle(clientToProxyRequest, proxyToClientResponse, proxyToClientCallback);
        } catch (RuntimeException e) {
            writeVerdict(proxyToClientResponse, proxyToClientCallback, guard.classify(e, Phase.UNKNOWN), state);
            return true;
        }
    }

    /**
     * Chooses the upstream for this request: round-robin over the route's upstreams. This is the one place
     * an attempt loop (retry, passive health) plugs in.
     */
    protected URI chooseUpstream(Route route) {
        List<URI> upstreams = route.upstreams();
        if (upstreams.size() == 1) {
            return upstreams.get(0);
        }
        int n = rotation.computeIfAbsent(route.id(), id -> new AtomicInteger()).getAndIncrement();
        return upstreams.get(Math.floorMod(n, upstreams.size()));
    }

    private ProxiedExchange newExchange(Request request, Route route) {
        URI upstream = chooseUpstream(route);
        String authority = upstream.getHost() + ":" + upstreamPort(upstream);
        String requestId = RequestIds.resolve(request.getHeaders().get(guard.policy().requestIdHeader()));
        Exchange exchange = new Exchange(route.id(), authority, authority, Request.getRemoteAddr(request),
                request.getHeaders().get(HttpHeader.ACCEPT), requestId, List.of(), 1, 1, guard.nanoTime());
        return new ProxiedExchange(route, upstream, exchange);
    }

    private static int upstreamPort(URI upstream) {
        if (upstream.getPort() > 0) {
            return upstream.getPort();
        }
        return "https".equalsIgnoreCase(upstream.getScheme()) ? 443 : 80;
    }

    private static ProxiedExchange state(Request clientToProxyRequest) {
        return (ProxiedExchange) clientToProxyRequest.getAttribute(STATE_ATTRIBUTE);
    }

    @Override
    protected HttpURI rewriteHttpURI(Request clientToProxyRequest) {
        ProxiedExchange state = state(clientToProxyRequest);
        URI upstream = state.upstream();
        String base = upstream.getRawPath() == null ? "" : upstream.getRawPath();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String path = state.route().upstreamPath(Request.getPathInContext(clientToProxyRequest));
        return HttpURI.build()
                .scheme(upstream.getScheme().toLowerCase(Locale.ROOT))
                .host(upstream.getHost())
                .port(upstreamPort(upstream))
                .path(base + URIUtil.encodePath(path))
                .query(clientToProxyRequest.getHttpURI().getQuery());
    }

    @Override
    protected void configureHttpClient(HttpClient httpClient) {
        super.configureHttpClient(httpClient);
        UpstreamClients.configure(httpClient, config, guard);
    }

    @Override
    protected org.eclipse.jetty.client.Request newProxyToServerRequest(Request clientToProxyRequest, HttpURI newHttpURI) {
        ProxiedExchange state = state(clientToProxyRequest);
        Timeouts timeouts = config.timeouts();
        org.eclipse.jetty.client.Request request = super.newProxyToServerRequest(clientToProxyRequest, newHttpURI)
                .idleTimeout(timeouts.idle().toMillis(), TimeUnit.MILLISECONDS);
        if (!timeouts.total().isZero()) {
            request.timeout(timeouts.total().toMillis(), TimeUnit.MILLISECONDS);
        }
        request.onRequestBegin(r -> state.phase(Phase.SEND_REQUEST))
                .onRequestSuccess(r -> startHeadDeadline(r, state))
                .onResponseBegin(r -> state.phase(Phase.READ_HEAD));
        return request;
    }

    private void startHeadDeadline(org.eclipse.jetty.client.Request request, ProxiedExchange state) {
        if (state.phase() != Phase.SEND_REQUEST) {
            return; // the response began before the request was fully sent
        }
        state.phase(Phase.AWAIT_RESPONSE);
        long millis = config.timeouts().responseHead().toMillis();
        state.headDeadline(getHttpClient().getScheduler().schedule(() -> {
            UpstreamFailure late = new UpstreamFailure(ErrorType.HTTP_RESPONSE_TIMEOUT, state.phase(), Map.of(),
                    "no complete response head from upstream within " + millis + " ms", null);
            request.abort(new UpstreamFailureException(late));
        }, millis, TimeUnit.MILLISECONDS));
    }

    @Override
    protected void addProxyHeaders(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        super.addProxyHeaders(clientToProxyRequest, proxyToServerRequest);
        ForwardedHeaders.addXForwarded(clientToProxyRequest, proxyToServerRequest);
    }

    @Override
    protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(
            Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
            Response proxyToClientResponse, Callback proxyToClientCallback) {
        return new GuardedResponseListener(clientToProxyRequest, proxyToServerRequest, proxyToClientResponse,
                proxyToClientCallback);
    }

    /** Drops the upstream's {@code Proxy-Status}: it is re-sent with our member appended (RFC 9209 §2). */
    @Override
    protected HttpField filterServerToProxyResponseField(HttpField serverToProxyResponseField) {
        return PROXY_STATUS.equalsIgnoreCase(serverToProxyResponseField.getName()) ? null : serverToProxyResponseField;
    }

    @Override
    protected void onServerToProxyResponseFailure(Request clientToProxyRequest,
            org.eclipse.jetty.client.Request proxyToServerRequest, org.eclipse.jetty.client.Response serverToProxyResponse,
            Response proxyToClientResponse, Callback proxyToClientCallback, Throwable failure) {
        ProxiedExchange state = state(clientToProxyRequest);
        state.cancelHeadDeadline();
        UpstreamFailure verdict = classify(failure, state);
        if (proxyToClientResponse.isCommitted()) {
            // the status is on the wire: abort so the client sees truncation (no last-chunk), log and count
            guard.aborted(verdict, state.exchange(), proxyToClientResponse.getStatus());
            proxyToClientCallback.failed(failure);
            return;
        }
        writeVerdict(proxyToClientResponse, proxyToClientCallback, verdict, state);
    }

    /**
     * The core's verdict, plus one fact only this handler knows: a parser failure after a valid head of a
     * chunked response is invalid chunked framing (RFC 9209 §2.3.24), not a head syntax error.
     */
    private UpstreamFailure classify(Throwable failure, ProxiedExchange state) {
        Phase phase = state.phase();
        if (phase == Phase.READ_BODY && state.chunkedResponse() && causedByHttpParser(failure)) {
            return new UpstreamFailure(ErrorType.HTTP_RESPONSE_TRANSFER_CODING, Phase.READ_BODY,
                    Map.of("coding", "chunked"), "invalid chunked framing in upstream response", failure);
        }
        return guard.classify(failure, phase);
    }

    private static boolean causedByHttpParser(Throwable failure) {
        for (Throwable t = failure, i = null; t != null && t != i; i = t, t = t.getCause()) {
            if (t instanceof HttpException) {
                return true;
            }
        }
        return false;
    }

    private void writeVerdict(Response response, Callback callback, UpstreamFailure failure, ProxiedExchange state) {
        ErrorResponse error = guard.failureResponse(failure, state.exchange());
        response.reset();
        response.setStatus(error.status());
        HttpFields.Mutable headers = response.getHeaders();
        for (Map.Entry<String, String> header : error.headers()) {
            headers.put(header.getKey(), header.getValue());
        }
        headers.put(HttpHeader.CONTENT_LENGTH, error.body().length);
        response.write(true, ByteBuffer.wrap(error.body()), callback);
    }

    /** Validates the head before anything is committed, then relays it with hop-by-hop fields removed. */
    private final class GuardedResponseListener extends ProxyResponseListener {
        private final Request clientToProxyRequest;
        private final Response proxyToClientResponse;

        GuardedResponseListener(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
                                Response proxyToClientResponse, Callback proxyToClientCallback) {
            super(clientToProxyRequest, proxyToServerRequest, proxyToClientResponse, proxyToClientCallback);
            this.clientToProxyRequest = clientToProxyRequest;
            this.proxyToClientResponse = proxyToClientResponse;
        }

        @Override
        public void onHeaders(org.eclipse.jetty.client.Response serverToProxyResponse) {
            ProxiedExchange state = state(clientToProxyRequest);
            state.cancelHeadDeadline();
            JettyResponseHead head = JettyResponseHead.of(serverToProxyResponse);
            boolean headRequest = HttpMethod.HEAD.is(clientToProxyRequest.getMethod());
            ValidationResult result = guard.validate(head, new ValidationContext(false, headRequest));
            HttpFields received = serverToProxyResponse.getHeaders();
            state.receivedProxyStatus(received.getValuesList(PROXY_STATUS));
            if (!result.ok()) {
                serverToProxyResponse.abort(new UpstreamFailureException(result.failure()));
                return;
            }
            state.chunkedResponse(received.contains(HttpHeader.TRANSFER_ENCODING, "chunked"));
            relayHead(serverToProxyResponse.getStatus(), received, result.repairs(), HopByHop.connectionOptions(head), state);
            state.phase(Phase.READ_BODY);
        }

        private void relayHead(int status, HttpFields received, List<HeadRepair> repairs, Set<String> connectionOptions,
                               ProxiedExchange state) {
            HttpFields.Mutable out = proxyToClientResponse.getHeaders();
            List<String> seen = new ArrayList<>(received.size());
            int nextRepair = 0;
            for (int i = 0, n = received.size(); i < n; i++) {
                HttpField field = received.getField(i);
                if (nextRepair < repairs.size() && repairs.get(nextRepair).fieldIndex() == i) {
                    HeadRepair repair = repairs.get(nextRepair++);
                    if (repair.dropsField()) {
                        continue;
                    }
                    field = new HttpField(field.getName(), repair.replacementValue());
                }
                if (HopByHop.shouldStrip(field.getName(), connectionOptions)) {
                    continue;
                }
                HttpField relayed = filterServerToProxyResponseField(field);
                if (relayed == null) {
                    continue;
                }
                String lower = relayed.getLowerCaseName();
                // replace the server's own fields (Server, Date) once, then keep repeated fields
                if (seen.contains(lower)) {
                    out.add(relayed);
                } else {
                    seen.add(lower);
                    out.put(relayed);
                }
            }
            if (bodyDelimitedByClose(status, received)) {
                // without framing, Jetty ends such a body by closing the connection: an abort would then look
                // like a complete body to the client. Chunked framing keeps a cut-short body visibly cut (no last-chunk).
                out.put(HttpHeader.TRANSFER_ENCODING, "chunked");
            }
            if (status >= 500) {
                out.put(PROXY_STATUS, guard.passThrough(status, state.exchange()));
            } else if (!state.exchange().receivedProxyStatus().isEmpty()) {
                out.put(PROXY_STATUS, String.join(", ", state.exchange().receivedProxyStatus()));
            }
        }

        private boolean bodyDelimitedByClose(int status, HttpFields received) {
            return status >= 200 && status != 204 && status != 304
                    && !HttpMethod.HEAD.is(clientToProxyRequest.getMethod())
                    && clientToProxyRequest.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1
                    && !received.contains(HttpHeader.CONTENT_LENGTH);
        }

        @Override
        public void onComplete(Result result) {
            state(clientToProxyRequest).cancelHeadDeadline();
            super.onComplete(result);
        }
    }
}
