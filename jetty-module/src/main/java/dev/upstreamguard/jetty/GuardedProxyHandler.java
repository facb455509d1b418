package dev.upstreamguard.jetty;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.health.UpstreamPool;
import dev.upstreamguard.core.lifecycle.ClientRequest;
import dev.upstreamguard.core.lifecycle.GuardedExchange;
import dev.upstreamguard.core.lifecycle.RouteGuard;
import dev.upstreamguard.core.lifecycle.Verdict;
import dev.upstreamguard.core.validate.HopByHop;
import dev.upstreamguard.core.validate.ValidationContext;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.thread.Invocable;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A reverse proxy on Jetty 12 core that translates between {@link ProxyHandler}'s hooks and the core's
 * request lifecycle: each request is a {@link GuardedExchange} of its route's {@link RouteGuard}, told what
 * the Jetty client observed (request begin, sent, response begin, head, failure) and answering with the
 * {@link Verdict} this handler writes — send to an upstream, retry after a delay on Jetty's scheduler,
 * relay the head, answer, or abort. Admission, upstream choice, passive health, deadlines, retries,
 * classification and every header of an answer are the core's.
 *
 * <p>What only Jetty knows stays here: the head is validated in {@code onHeaders} before anything is
 * committed, so a rejected or retried head never reaches the client and its connection is aborted (never
 * returned to the pool); each attempt's head deadline runs on one shared timer; a bodyless-close response is
 * re-chunked so that a cut-short body stays visibly cut; a parser failure inside a chunked body is invalid
 * chunked framing.
 *
 * <p>Requests whose path matches no route are not handled (the next handler answers them). Build one with
 * {@link UpstreamGuardProxy#builder()}.
 */
public class GuardedProxyHandler extends ProxyHandler {
    private static final String ATTEMPT_ATTRIBUTE = GuardedProxyHandler.class.getName() + ".attempt";
    private static final ValidationContext HEAD_REQUEST = new ValidationContext(false, true);

    private final ProxyConfig config;
    private final UpstreamGuard guard;
    private final Map<String, RouteGuard> routes;
    private HeadDeadlines headDeadlines;

    /** A handler for {@code config}, answering failures with {@code guard}. */
    public GuardedProxyHandler(ProxyConfig config, UpstreamGuard guard) {
        this.config = config;
        this.guard = guard;
        Map<String, RouteGuard> byId = new HashMap<>();
        for (Route route : config.routes()) {
            byId.put(route.id(), RouteGuard.builder(route.id(), route.guard(guard)).upstreams(route.upstreams())
                    .responseTimeout(config.timeouts().responseHead()).viaPseudonym(config.viaPseudonym()).build());
        }
        this.routes = Map.copyOf(byId);
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

    /**
     * The upstreams of route {@code routeId} with their passive health, for health pages and tests.
     *
     * @throws IllegalArgumentException when there is no such route
     */
    public UpstreamPool upstreamPool(String routeId) {
        RouteGuard route = routes.get(routeId);
        if (route == null) {
            throw new IllegalArgumentException("no route with id " + routeId);
        }
        return route.pool();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        headDeadlines = new HeadDeadlines(getHttpClient().getScheduler());
    }

    @Override
    protected void doStop() throws Exception {
        if (headDeadlines != null) {
            headDeadlines.destroy();
        }
        super.doStop();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Route route = config.match(Request.getPathInContext(request));
        if (route == null) {
            return false;
        }
        GuardedExchange exchange = routes.get(route.id()).exchange(new ClientRequest(request.getMethod(),
                Request.getRemoteAddr(request), new JettyRequestHeaders(request.getHeaders())));
        ProxiedExchange state = new ProxiedExchange(route, exchange);
        // the state travels with the request to ProxyHandler's hooks (a field: no request attribute map)
        Request clientToProxyRequest = new ExchangeRequest(request, state);
        Callback completing = Callback.from(exchange::complete, callback);
        guarded(response, completing, state, () -> exchange.admit().whenComplete((verdict, never) ->
                guarded(response, completing, state, () -> admitted(clientToProxyRequest, response, completing, state,
                        verdict))));
        return true;
    }

    private void admitted(Request request, Response response, Callback callback, ProxiedExchange state, Verdict verdict) {
        if (!(verdict instanceof Verdict.Admitted)) {
            apply(verdict, request, response, callback, state);
            return;
        }
        int maxBody = state.exchange().route().policy().retry().maxReplayableBodyBytes();
        RequestBody.prepare(request, maxBody).whenComplete((body, bodyFailure) -> {
            if (bodyFailure != null) {
                callback.failed(bodyFailure); // the client failed to send its body: nothing to tell it
                return;
            }
            state.body(body);
            state.exchange().body(body.replayable());
            guarded(response, callback, state, () -> apply(state.exchange().nextAttempt(), request, response,
                    callback, state));
        });
    }

    /** Writes a verdict: starts an attempt, schedules a retry, answers or aborts. */
    private void apply(Verdict verdict, Request request, Response response, Callback callback, ProxiedExchange state) {
        if (verdict instanceof Verdict.SendTo send) {
            if (state.current() != null) {
                response.reset(); // a retried attempt may have relayed its head (never committed): start clean
            }
            state.begin(send);
            super.handle(request, response, callback);
        } else if (verdict instanceof Verdict.Retry retry) {
            Runnable next = () -> guarded(response, callback, state,
                    () -> apply(state.exchange().nextAttempt(), request, response, callback, state));
            getHttpClient().getScheduler().schedule(() -> {
                try {
                    getHttpClient().getExecutor().execute(next);
                } catch (RejectedExecutionException stopping) {
                    callback.failed(stopping);
                }
            }, retry.delay().toNanos(), TimeUnit.NANOSECONDS);
        } else if (verdict instanceof Verdict.Answer answer) {
            JettyResponses.write(response, callback, answer.response());
        } else if (verdict instanceof Verdict.Abort abort) {
            callback.failed(new IllegalStateException("upstream exchange aborted: "
                    + (abort.failure() == null ? "client gone" : abort.failure().type().token())));
        }
    }

    /** Runs {@code step}; a bug in it is answered {@code proxy_internal_error} (or aborts a committed response). */
    private void guarded(Response response, Callback callback, ProxiedExchange state, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            if (response.isCommitted()) {
                callback.failed(e);
            } else {
                state.exchange().onFailure(e).whenComplete((v, never) -> {
                    if (v instanceof Verdict.Answer answer) {
                        JettyResponses.write(response, callback, answer.response());
                    } else {
                        callback.failed(e);
                    }
                });
            }
        }
    }

    private static ProxiedExchange state(Request clientToProxyRequest) {
        return ((ExchangeRequest) clientToProxyRequest).state;
    }

    /** The client's request as this handler passes it to {@link ProxyHandler}, carrying the exchange's state. */
    private static final class ExchangeRequest extends Request.Wrapper {
        private final ProxiedExchange state;

        ExchangeRequest(Request wrapped, ProxiedExchange state) {
            super(wrapped);
            this.state = state;
        }
    }

    private static UpstreamAttempt attempt(org.eclipse.jetty.client.Request proxyToServerRequest) {
        return (UpstreamAttempt) proxyToServerRequest.getAttributes().get(ATTEMPT_ATTRIBUTE);
    }

    @Override
    protected HttpURI rewriteHttpURI(Request clientToProxyRequest) {
        ProxiedExchange state = state(clientToProxyRequest);
        URI upstream = state.current().uri();
        String base = upstream.getRawPath() == null ? "" : upstream.getRawPath();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String path = state.route().upstreamPath(Request.getPathInContext(clientToProxyRequest));
        int port = upstream.getPort() > 0 ? upstream.getPort() : "https".equalsIgnoreCase(upstream.getScheme()) ? 443 : 80;
        return HttpURI.build().scheme(upstream.getScheme().toLowerCase(Locale.ROOT)).host(upstream.getHost()).port(port)
                .path(base + URIUtil.encodePath(path)).query(clientToProxyRequest.getHttpURI().getQuery());
    }

    @Override
    protected void configureHttpClient(HttpClient httpClient) {
        super.configureHttpClient(httpClient);
        UpstreamClients.configure(httpClient, config, guard);
    }

    /** Reports the Jetty client's request and response events of this attempt to the core's exchange. */
    @Override
    protected org.eclipse.jetty.client.Request newProxyToServerRequest(Request clientToProxyRequest, HttpURI newHttpURI) {
        ProxiedExchange state = state(clientToProxyRequest);
        GuardedExchange exchange = state.exchange();
        UpstreamAttempt attempt = state.current();
        Timeouts timeouts = config.timeouts();
        org.eclipse.jetty.client.Request request = super.newProxyToServerRequest(clientToProxyRequest, newHttpURI)
                .idleTimeout(timeouts.idle().toMillis(), TimeUnit.MILLISECONDS)
                .attribute(ATTEMPT_ATTRIBUTE, attempt);
        if (!timeouts.total().isZero()) {
            request.timeout(timeouts.total().toMillis(), TimeUnit.MILLISECONDS);
        }
        return request.onRequestBegin(r -> exchange.requestSending())
                .onRequestSuccess(r -> {
                    exchange.requestSent();
                    Duration headTimeout = attempt.send().headTimeout();
                    Duration left = exchange.timeLeft();
                    long millis = Math.max(1, (left.compareTo(headTimeout) < 0 ? left : headTimeout).toMillis());
                    headDeadlines.arm(attempt, r, millis);
                })
                .onResponseBegin(r -> exchange.responseBegun());
    }

    /** The client's body for this attempt: from memory when buffered, else relayed as it arrives. */
    @Override
    protected org.eclipse.jetty.client.Request.Content newProxyToServerRequestContent(Request clientToProxyRequest,
            Response proxyToClientResponse, org.eclipse.jetty.client.Request proxyToServerRequest) {
        return state(clientToProxyRequest).body().content(() -> super.newProxyToServerRequestContent(
                clientToProxyRequest, proxyToClientResponse, proxyToServerRequest));
    }

    @Override
    protected void addProxyHeaders(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        ForwardedHeaders.removeUntrusted(config.trustedProxies(), clientToProxyRequest, proxyToServerRequest);
        super.addProxyHeaders(clientToProxyRequest, proxyToServerRequest);
        ForwardedHeaders.addXForwarded(clientToProxyRequest, proxyToServerRequest);
        state(clientToProxyRequest).body().relayUnframed(clientToProxyRequest, proxyToServerRequest);
    }

    @Override
    protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(
            Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
            Response proxyToClientResponse, Callback proxyToClientCallback) {
        return new GuardedResponseListener(clientToProxyRequest, proxyToServerRequest, proxyToClientResponse,
                proxyToClientCallback);
    }

    /**
     * An attempt failed: its replacement verdict when the core already decided about its head; else, after
     * commit, the client response is aborted; before, the core's exchange decides between a retry and an
     * answer. A failure caused by the client going away is not the upstream's.
     */
    @Override
    protected void onServerToProxyResponseFailure(Request clientToProxyRequest,
            org.eclipse.jetty.client.Request proxyToServerRequest, org.eclipse.jetty.client.Response serverToProxyResponse,
            Response proxyToClientResponse, Callback proxyToClientCallback, Throwable failure) {
        ProxiedExchange state = state(clientToProxyRequest);
        GuardedExchange exchange = state.exchange();
        UpstreamAttempt attempt = attempt(proxyToServerRequest);
        headDeadlines.disarm(attempt);
        if (attempt.replacement() != null) {
            apply(attempt.replacement(), clientToProxyRequest, proxyToClientResponse, proxyToClientCallback, state);
            return;
        }
        if (attempt.clientGone()) {
            exchange.clientGone();
            proxyToClientCallback.failed(failure);
            return;
        }
        UpstreamFailure framing = chunkedFraming(failure, attempt, exchange);
        if (proxyToClientResponse.isCommitted()) {
            if (framing != null) {
                exchange.onFailureAfterCommit(framing, proxyToClientResponse.getStatus());
            } else {
                exchange.onFailureAfterCommit(failure, proxyToClientResponse.getStatus());
            }
            proxyToClientCallback.failed(failure);
            return;
        }
        (framing != null ? exchange.onFailure(framing) : exchange.onFailure(failure)).whenComplete((verdict, never) ->
                guarded(proxyToClientResponse, proxyToClientCallback, state, () ->
                        apply(verdict, clientToProxyRequest, proxyToClientResponse, proxyToClientCallback, state)));
    }

    /**
     * One fact only this handler knows: a parser failure after a valid head of a chunked response is invalid
     * chunked framing (RFC 9209 §2.3.24), not a head syntax error. {@code null} for any other failure.
     */
    private static UpstreamFailure chunkedFraming(Throwable failure, UpstreamAttempt attempt, GuardedExchange exchange) {
        if (exchange.phase() != dev.upstreamguard.core.Phase.READ_BODY || !attempt.chunkedResponse()) {
            return null;
        }
        for (Throwable t = failure, i = null; t != null && t != i; i = t, t = t.getCause()) {
            if (t instanceof HttpException) {
                return new UpstreamFailure(ErrorType.HTTP_RESPONSE_TRANSFER_CODING, exchange.phase(),
                        Map.of("coding", "chunked"), "invalid chunked framing in upstream response", failure);
            }
        }
        return null;
    }

    /** Thrown into an upstream response whose head the core replaced, so that none of it reaches the client. */
    private static final class HeadReplaced extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HeadReplaced() {
            super("upstream response head not relayed", null, false, false);
        }
    }

    /**
     * Gives the head to the core before anything is committed and writes its verdict: relay the head, or
     * abort this upstream response (its connection is closed, never pooled) for a retry or an answer. While
     * the core decides, later listener calls wait in a {@link ListenerGate}.
     */
    private final class GuardedResponseListener extends ProxyResponseListener {
        private final Request clientToProxyRequest;
        private final Response proxyToClientResponse;
        private final ProxiedExchange state;
        private final UpstreamAttempt attempt;
        private final ListenerGate gate = new ListenerGate();

        GuardedResponseListener(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
                                Response proxyToClientResponse, Callback proxyToClientCallback) {
            super(clientToProxyRequest, proxyToServerRequest, proxyToClientResponse, proxyToClientCallback);
            this.clientToProxyRequest = clientToProxyRequest;
            this.proxyToClientResponse = proxyToClientResponse;
            this.state = state(clientToProxyRequest);
            this.attempt = attempt(proxyToServerRequest);
        }

        @Override
        public void onHeaders(org.eclipse.jetty.client.Response serverToProxyResponse) {
            headDeadlines.disarm(attempt);
            JettyResponseHead head = JettyResponseHead.of(serverToProxyResponse);
            HttpFields received = serverToProxyResponse.getHeaders();
            gate.hold();
            state.exchange().onHead(head, HttpMethod.HEAD.is(clientToProxyRequest.getMethod()) ? HEAD_REQUEST
                                    : ValidationContext.DEFAULT, received.getValuesList(UpstreamGuard.PROXY_STATUS),
                            received.get(HttpHeader.RETRY_AFTER))
                    .whenComplete((verdict, never) -> {
                        try {
                            if (verdict instanceof Verdict.Relay relay) {
                                relay(serverToProxyResponse, relay, head);
                            } else {
                                attempt.replacedBy(verdict);
                                serverToProxyResponse.abort(new HeadReplaced());
                            }
                        } catch (RuntimeException e) {
                            serverToProxyResponse.abort(e);
                        } finally {
                            gate.release();
                        }
                    });
        }

        private void relay(org.eclipse.jetty.client.Response serverToProxyResponse, Verdict.Relay relay,
                           JettyResponseHead head) {
            HttpFields received = serverToProxyResponse.getHeaders();
            int status = serverToProxyResponse.getStatus();
            attempt.chunkedResponse(received.contains(HttpHeader.TRANSFER_ENCODING, "chunked"));
            proxyToClientResponse.setStatus(status);
            JettyResponses.relayHead(proxyToClientResponse, received, relay, HopByHop.connectionOptions(head),
                    state.exchange().responseFields(), bodyDelimitedByClose(status, received),
                    GuardedProxyHandler.this::filterServerToProxyResponseField);
        }

        private boolean bodyDelimitedByClose(int status, HttpFields received) {
            return status >= 200 && status != 204 && status != 304
                    && !HttpMethod.HEAD.is(clientToProxyRequest.getMethod())
                    && clientToProxyRequest.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1
                    && !received.contains(HttpHeader.CONTENT_LENGTH);
        }

        /** Relays a body chunk, remembering when the write to the client fails (the client went away). */
        @Override
        public void onContent(org.eclipse.jetty.client.Response serverToProxyResponse, Content.Chunk chunk,
                              Runnable demander) {
            chunk.retain();
            if (gate.isOpen()) {
                relayContent(serverToProxyResponse, chunk, demander);
            } else {
                gate.submit(() -> relayContent(serverToProxyResponse, chunk, demander));
            }
        }

        private void relayContent(org.eclipse.jetty.client.Response serverToProxyResponse, Content.Chunk chunk,
                                  Runnable demander) {
            if (attempt.replacement() != null) {
                chunk.release();
                return;
            }
            proxyToClientResponse.write(false, chunk.getByteBuffer(), Callback.from(Invocable.InvocationType.NON_BLOCKING,
                    () -> {
                        chunk.release();
                        demander.run();
                    },
                    failure -> {
                        chunk.release();
                        attempt.clientWriteFailed();
                        serverToProxyResponse.abort(failure);
                    }));
        }

        @Override
        public void onSuccess(org.eclipse.jetty.client.Response serverToProxyResponse) {
            gate.submit(() -> {
                if (attempt.replacement() == null) {
                    super.onSuccess(serverToProxyResponse);
                }
            });
        }

        @Override
        public void onComplete(Result result) {
            gate.submit(() -> {
                headDeadlines.disarm(attempt);
                super.onComplete(result);
            });
        }
    }
}
