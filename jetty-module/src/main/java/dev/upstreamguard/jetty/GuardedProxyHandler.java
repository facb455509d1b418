package dev.upstreamguard.jetty;

import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.lifecycle.GuardedExchange;
import dev.upstreamguard.core.lifecycle.RouteGuard;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.lifecycle.UpstreamPool;
import dev.upstreamguard.core.lifecycle.Verdict;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.HashMap;
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
 * <p>What only Jetty knows stays in this package: the response side of an attempt ({@link ResponseRelay}),
 * the client's events and the head deadline on one shared timer ({@link UpstreamAttempt}), the request body
 * ({@link RequestBody}). Requests whose path matches no route are not handled (the next handler answers them). Build one with
 * {@link UpstreamGuardProxy#builder()}.
 */
public class GuardedProxyHandler extends ProxyHandler {
    private static final String ATTEMPT_ATTRIBUTE = GuardedProxyHandler.class.getName() + ".attempt";

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

    /** The upstreams of route {@code routeId} with their passive health; {@link IllegalArgumentException} for an unknown id. */
    public UpstreamPool upstreamPool(String routeId) {
        RouteGuard route = routes.get(routeId);
        if (route == null) {
            throw new IllegalArgumentException("no route with id " + routeId);
        }
        return route.pool();
    }

    /** The guards of the configured routes (fixed for the handler's life), e.g. for metrics gauges. */
    public java.util.Collection<RouteGuard> routeGuards() {
        return routes.values();
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
        GuardedExchange exchange = routes.get(route.id()).exchange(new JettyClientRequest(request));
        ProxiedExchange state = new ProxiedExchange(route, exchange);
        Request clientToProxyRequest = state.carriedBy(request);
        Callback completing = Callback.from(state, callback); // completes the exchange, then the callback
        request.addFailureListener(state); // the client is gone, e.g. it closed during a backoff
        try {
            exchange.admit().whenComplete(new FirstAttempt(this, clientToProxyRequest, response, completing, state));
        } catch (RuntimeException e) {
            failed(response, completing, state, e);
        }
        return true;
    }

    /** Writes a verdict: starts an attempt, schedules a retry, answers or aborts. */
    void apply(Verdict verdict, Request request, Response response, Callback callback, ProxiedExchange state) {
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
            failed(response, callback, state, e);
        }
    }

    /** A step failed with a bug: answered {@code proxy_internal_error}, or the committed response aborted. */
    void failed(Response response, Callback callback, ProxiedExchange state, RuntimeException e) {
        if (response.isCommitted()) {
            callback.failed(e);
        } else {
            GuardedExchange exchange = state.exchange();
            JettyResponses.write(response, callback,
                    exchange.answerWithoutRetry(guard.classify(e, exchange.phase())).response());
        }
    }

    private static UpstreamAttempt attempt(org.eclipse.jetty.client.Request proxyToServerRequest) {
        return (UpstreamAttempt) proxyToServerRequest.getAttributes().get(ATTEMPT_ATTRIBUTE);
    }

    @Override
    protected HttpURI rewriteHttpURI(Request clientToProxyRequest) {
        ProxiedExchange state = ProxiedExchange.of(clientToProxyRequest);
        return state.current().upstreamUri(state.route().upstreamPath(Request.getPathInContext(clientToProxyRequest)),
                clientToProxyRequest.getHttpURI().getQuery());
    }

    @Override
    protected void configureHttpClient(HttpClient httpClient) {
        super.configureHttpClient(httpClient);
        UpstreamClients.configure(httpClient, config, guard);
    }

    /** Reports the Jetty client's request and response events of this attempt to the core's exchange. */
    @Override
    protected org.eclipse.jetty.client.Request newProxyToServerRequest(Request clientToProxyRequest, HttpURI newHttpURI) {
        UpstreamAttempt attempt = ProxiedExchange.of(clientToProxyRequest).current();
        Timeouts timeouts = config.timeouts();
        org.eclipse.jetty.client.Request request = super.newProxyToServerRequest(clientToProxyRequest, newHttpURI)
                .idleTimeout(timeouts.idle().toMillis(), TimeUnit.MILLISECONDS)
                .attribute(ATTEMPT_ATTRIBUTE, attempt);
        if (!timeouts.total().isZero()) {
            request.timeout(timeouts.total().toMillis(), TimeUnit.MILLISECONDS);
        }
        return attempt.observe(request, headDeadlines);
    }

    /** The client's body for this attempt: from memory when buffered, else relayed as it arrives. */
    @Override
    protected org.eclipse.jetty.client.Request.Content newProxyToServerRequestContent(Request clientToProxyRequest,
            Response proxyToClientResponse, org.eclipse.jetty.client.Request proxyToServerRequest) {
        return ProxiedExchange.of(clientToProxyRequest).body().content(() -> super.newProxyToServerRequestContent(
                clientToProxyRequest, proxyToClientResponse, proxyToServerRequest));
    }

    @Override
    protected void addProxyHeaders(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        ForwardedHeaders.removeUntrusted(config.trustedProxies(), clientToProxyRequest, proxyToServerRequest);
        super.addProxyHeaders(clientToProxyRequest, proxyToServerRequest);
        ForwardedHeaders.addXForwarded(clientToProxyRequest, proxyToServerRequest);
        ProxiedExchange.of(clientToProxyRequest).body().relayUnframed(clientToProxyRequest, proxyToServerRequest);
    }

    @Override
    protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(
            Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
            Response proxyToClientResponse, Callback proxyToClientCallback) {
        return new GuardedResponseListener(clientToProxyRequest, proxyToServerRequest, proxyToClientResponse,
                proxyToClientCallback);
    }

    /** Jetty's response listener, its calls handed to this attempt's {@link ResponseRelay}. */
    private final class GuardedResponseListener extends ProxyResponseListener {
        private final ResponseRelay relay;

        GuardedResponseListener(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
                                Response proxyToClientResponse, Callback proxyToClientCallback) {
            super(clientToProxyRequest, proxyToServerRequest, proxyToClientResponse, proxyToClientCallback);
            relay = new ResponseRelay(clientToProxyRequest, proxyToClientResponse, ProxiedExchange.of(clientToProxyRequest),
                    attempt(proxyToServerRequest), headDeadlines, GuardedProxyHandler.this::filterServerToProxyResponseField);
        }

        @Override
        public void onHeaders(org.eclipse.jetty.client.Response serverToProxyResponse) {
            relay.onHeaders(serverToProxyResponse);
        }

        @Override
        public void onContent(org.eclipse.jetty.client.Response serverToProxyResponse, Content.Chunk chunk,
                              Runnable demander) {
            relay.onContent(serverToProxyResponse, chunk, demander);
        }

        @Override
        public void onSuccess(org.eclipse.jetty.client.Response serverToProxyResponse) {
            relay.onSuccess(() -> super.onSuccess(serverToProxyResponse));
        }

        @Override
        public void onComplete(Result result) {
            relay.onComplete(() -> super.onComplete(result));
        }
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
        ProxiedExchange state = ProxiedExchange.of(clientToProxyRequest);
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
        UpstreamFailure framing = attempt.chunkedFraming(failure);
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

}
