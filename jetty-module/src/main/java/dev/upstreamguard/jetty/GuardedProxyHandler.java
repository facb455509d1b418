package dev.upstreamguard.jetty;

import dev.upstreamguard.core.ErrorResponse;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamFailureException;
import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.admission.AdmissionVerdicts;
import dev.upstreamguard.core.admission.RouteAdmission;
import dev.upstreamguard.core.events.AdmissionEvent;
import dev.upstreamguard.core.health.Selection;
import dev.upstreamguard.core.health.Upstream;
import dev.upstreamguard.core.health.UpstreamPool;
import dev.upstreamguard.core.retry.AttemptContext;
import dev.upstreamguard.core.retry.Retrier;
import dev.upstreamguard.core.retry.RetryDecision;
import dev.upstreamguard.core.retry.RetryPolicy;
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
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.thread.Invocable;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A reverse proxy on Jetty 12 core whose every upstream failure is answered per the guard's taxonomy
 * (DESIGN §2): the head is validated before anything reaches the client, failures before commit get the
 * verdict ({@code Proxy-Status}, problem details, log line, metric), failures after commit abort the
 * client response so it is seen truncated, and upstream 5xx pass through with our member appended.
 *
 * <p>Each route has the core's resilience parts (DESIGN §4), built from the guard's policy:
 * <ol>
 *   <li><b>Admission</b> first: the client's rate limit, then the route's concurrency limit; a refusal is
 *       answered 429 or 503 with a computed {@code Retry-After}, and a rate-limited route's
 *       {@code RateLimit-Policy}/{@code RateLimit} fields go on every response. The concurrency slot is
 *       freed when the exchange ends, however it ends.</li>
 *   <li><b>Rotation and passive health</b>: each attempt goes to the pool's next upstream not yet tried
 *       (ids {@code <routeId>-<n>}, see {@link RouteResilience}); every attempt's failure or status is
 *       reported to the pool; with every upstream ejected the answer is 503 {@code destination_unavailable}
 *       with the time until the first returns.</li>
 *   <li><b>Retries</b>: after a failure, or an upstream status listed in {@code retry.statuses}, with nothing
 *       sent to the client yet, the route's {@link Retrier} decides; the next attempt starts after the delay
 *       on Jetty's scheduler (no thread waits). Bodies up to {@code retry.max-replayable-body} with a
 *       {@code Content-Length} are buffered so that they can be sent again; larger or chunked bodies are
 *       streamed, and then only failures that never sent the request are retried. Each attempt's response
 *       head deadline is the lower of {@code retry.per-try-timeout} (or the head timeout) and, when
 *       retries are on, the time left until {@code retry.deadline}. The answer, log line and metric describe
 *       the last attempt ({@code attempt n/m}).</li>
 * </ol>
 *
 * <p>Requests whose path matches no route are not handled (the next handler answers them). Build one with
 * {@link UpstreamGuardProxy#builder()}.
 */
public class GuardedProxyHandler extends ProxyHandler {
    private static final String ATTEMPT_ATTRIBUTE = GuardedProxyHandler.class.getName() + ".attempt";
    private static final String PROXY_STATUS = UpstreamGuard.PROXY_STATUS;
    private static final ValidationContext HEAD_REQUEST = new ValidationContext(false, true);

    private final ProxyConfig config;
    private final UpstreamGuard guard;
    private final Map<String, RouteResilience> resilience;
    private HeadDeadlines headDeadlines;

    /** A handler for {@code config}, answering failures with {@code guard}. */
    public GuardedProxyHandler(ProxyConfig config, UpstreamGuard guard) {
        this.config = config;
        this.guard = guard;
        Map<String, RouteResilience> parts = new HashMap<>();
        for (Route route : config.routes()) {
            parts.put(route.id(), RouteResilience.of(route, guard));
        }
        this.resilience = Map.copyOf(parts);
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
     * The upstreams of route {@code routeId} with their passive health ({@link UpstreamPool#health()}), for
     * health pages and tests.
     *
     * @throws IllegalArgumentException when there is no such route
     */
    public UpstreamPool upstreamPool(String routeId) {
        RouteResilience parts = resilience.get(routeId);
        if (parts == null) {
            throw new IllegalArgumentException("no route with id " + routeId);
        }
        return parts.pool();
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
    public boolean handle(Request request, Response proxyToClientResponse, Callback proxyToClientCallback) {
        Route route = config.match(Request.getPathInContext(request));
        if (route == null) {
            return false;
        }
        ProxiedExchange state = newExchange(request, route, resilience.get(route.id()));
        // the state travels with the request to ProxyHandler's hooks (a field: no request attribute map)
        Request clientToProxyRequest = new ExchangeRequest(request, state);
        guarded(proxyToClientResponse, proxyToClientCallback, state, () -> state.resilience().admission()
                .admit(Request.getRemoteAddr(clientToProxyRequest), clientToProxyRequest.getHeaders()::get)
                .whenComplete((ticket, failure) -> guarded(proxyToClientResponse, proxyToClientCallback, state,
                        () -> admitted(clientToProxyRequest, proxyToClientResponse, proxyToClientCallback, state,
                                ticket, failure))));
        return true;
    }

    private void admitted(Request request, Response response, Callback callback, ProxiedExchange state,
                          RouteAdmission.Ticket ticket, Throwable failure) {
        if (failure != null) {
            writeVerdict(response, callback, guard.classify(failure, Phase.ADMISSION), state, null);
            return;
        }
        state.responseFields(ticket.headers());
        if (!ticket.admitted()) {
            writeVerdict(response, callback, ticket.refusal(), state, ticket.retryAfter());
            return;
        }
        Callback releasing = Callback.from(ticket::close, callback);
        if (dev.upstreamguard.core.diagnostics.Via.namesReceivedBy(request.getHeaders().getValuesList(HttpHeader.VIA), config.viaPseudonym())) {
            UpstreamFailure loop = UpstreamFailure.of(ErrorType.PROXY_LOOP_DETECTED, Phase.ADMISSION)
                    .withDetails("the request already passed through this proxy (Via)");
            writeVerdict(response, releasing, loop, state, null);
            return;
        }
        Retrier retrier = state.resilience().retrier();
        retrier.onRequest();
        RequestBody.prepare(request, retrier.policy().maxReplayableBodyBytes()).whenComplete((body, bodyFailure) -> {
            if (bodyFailure != null) {
                releasing.failed(bodyFailure); // the client failed to send its body: nothing to tell it
                return;
            }
            state.body(body);
            guarded(response, releasing, state, () -> nextAttempt(request, response, releasing, state));
        });
    }

    /** Sends the next attempt to the pool's next upstream not yet tried; answers when none is in rotation. */
    private void nextAttempt(Request request, Response response, Callback callback, ProxiedExchange state) {
        RouteResilience parts = state.resilience();
        Selection selection = parts.pool().select(state.tried());
        if (!selection.available()) {
            UpstreamFailure previous = state.lastFailure();
            if (previous != null) {
                // a retry was allowed but every upstream is out by now: the answer describes the last attempt
                writeVerdict(response, callback, previous, state, null);
            } else {
                noHealthyUpstream(response, callback, state, selection.retryAfter());
            }
            return;
        }
        Upstream upstream = selection.upstream();
        if (state.current() != null) {
            response.reset(); // a retried attempt may have relayed its head (never committed): start clean
        }
        state.beginAttempt(upstream, authority(upstream.uri()), parts.retrier().policy().maxAttempts());
        super.handle(request, response, callback);
    }

    private void noHealthyUpstream(Response response, Callback callback, ProxiedExchange state, Duration retryAfter) {
        ErrorResponse error = guard.failureResponse(AdmissionVerdicts.noHealthyUpstream(), state.exchange(), retryAfter);
        guard.listener().onAdmissionRejected(new AdmissionEvent(state.route().id(),
                AdmissionEvent.Kind.NO_HEALTHY_UPSTREAM, error.status(), retryAfterSeconds(error)));
        write(response, callback, error, state);
    }

    private static long retryAfterSeconds(ErrorResponse error) {
        for (Map.Entry<String, String> header : error.headers()) {
            if ("Retry-After".equalsIgnoreCase(header.getKey())) {
                return Long.parseLong(header.getValue());
            }
        }
        return 0;
    }

    /** Waits {@code delay} on Jetty's scheduler (no thread blocks), then starts the next attempt on the client's executor. */
    private void scheduleAttempt(Duration delay, Request request, Response response, Callback callback,
                                 ProxiedExchange state) {
        Runnable next = () -> guarded(response, callback, state, () -> nextAttempt(request, response, callback, state));
        getHttpClient().getScheduler().schedule(() -> {
            try {
                getHttpClient().getExecutor().execute(next);
            } catch (RejectedExecutionException stopping) {
                callback.failed(stopping);
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code step}; a bug in it is answered {@code proxy_internal_error} (or aborts a committed response). */
    private void guarded(Response response, Callback callback, ProxiedExchange state, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            if (response.isCommitted()) {
                callback.failed(e);
            } else {
                writeVerdict(response, callback, guard.classify(e, Phase.UNKNOWN), state, null);
            }
        }
    }

    private ProxiedExchange newExchange(Request request, Route route, RouteResilience parts) {
        return new ProxiedExchange(route, parts, request, request.getHeaders().get(guard.policy().requestIdHeader()),
                guard.nanoTime());
    }

    private static String authority(URI upstream) {
        return upstream.getHost() + ":" + upstreamPort(upstream);
    }

    private static int upstreamPort(URI upstream) {
        if (upstream.getPort() > 0) {
            return upstream.getPort();
        }
        return "https".equalsIgnoreCase(upstream.getScheme()) ? 443 : 80;
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
        UpstreamAttempt attempt = state.current();
        Timeouts timeouts = config.timeouts();
        org.eclipse.jetty.client.Request request = super.newProxyToServerRequest(clientToProxyRequest, newHttpURI)
                .idleTimeout(timeouts.idle().toMillis(), TimeUnit.MILLISECONDS)
                .attribute(ATTEMPT_ATTRIBUTE, attempt);
        if (!timeouts.total().isZero()) {
            request.timeout(timeouts.total().toMillis(), TimeUnit.MILLISECONDS);
        }
        request.onRequestBegin(r -> attempt.phase(Phase.SEND_REQUEST))
                .onRequestSuccess(r -> startHeadDeadline(r, state, attempt))
                .onResponseBegin(r -> attempt.phase(Phase.READ_HEAD));
        return request;
    }

    /** The client's body for this attempt: from memory when buffered, else relayed as it arrives. */
    @Override
    protected org.eclipse.jetty.client.Request.Content newProxyToServerRequestContent(Request clientToProxyRequest,
            Response proxyToClientResponse, org.eclipse.jetty.client.Request proxyToServerRequest) {
        return state(clientToProxyRequest).body().content(() -> super.newProxyToServerRequestContent(
                clientToProxyRequest, proxyToClientResponse, proxyToServerRequest));
    }

    private void startHeadDeadline(org.eclipse.jetty.client.Request request, ProxiedExchange state, UpstreamAttempt attempt) {
        if (attempt.phase() != Phase.SEND_REQUEST) {
            return; // the response began before the request was fully sent
        }
        attempt.phase(Phase.AWAIT_RESPONSE);
        headDeadlines.arm(attempt, request, headTimeout(state).toMillis());
    }

    /**
     * The response-head deadline of one attempt: {@code retry.per-try-timeout}, or the configured head
     * timeout; with retries on, no later than the request's {@code retry.deadline}; at least 1 ms.
     */
    private Duration headTimeout(ProxiedExchange state) {
        Retrier retrier = state.resilience().retrier();
        RetryPolicy policy = retrier.policy();
        Duration timeout = policy.perTryTimeout() != null ? policy.perTryTimeout() : config.timeouts().responseHead();
        if (policy.enabled()) {
            Duration left = retrier.timeLeft(state.startNanos());
            if (left.compareTo(timeout) < 0) {
                timeout = left;
            }
        }
        return timeout.toMillis() < 1 ? Duration.ofMillis(1) : timeout;
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

    /** Drops the upstream's {@code Proxy-Status}: it is re-sent with our member appended (RFC 9209 §2). */
    @Override
    protected HttpField filterServerToProxyResponseField(HttpField serverToProxyResponseField) {
        return PROXY_STATUS.equalsIgnoreCase(serverToProxyResponseField.getName()) ? null : serverToProxyResponseField;
    }

    /**
     * An attempt failed. After commit the client response is aborted (no retry); before, the route's
     * retrier decides between another attempt and the verdict. Every failure is reported to the pool,
     * except one caused by the client going away mid-body.
     */
    @Override
    protected void onServerToProxyResponseFailure(Request clientToProxyRequest,
            org.eclipse.jetty.client.Request proxyToServerRequest, org.eclipse.jetty.client.Response serverToProxyResponse,
            Response proxyToClientResponse, Callback proxyToClientCallback, Throwable failure) {
        ProxiedExchange state = state(clientToProxyRequest);
        UpstreamAttempt attempt = attempt(proxyToServerRequest);
        headDeadlines.disarm(attempt);
        if (attempt.clientGone()) {
            proxyToClientCallback.failed(failure);
            return;
        }
        UpstreamFailure verdict = classify(failure, attempt);
        state.resilience().pool().onFailure(attempt.upstream(), verdict);
        if (proxyToClientResponse.isCommitted()) {
            // the status is on the wire: abort so the client sees truncation (no last-chunk), log and count
            guard.aborted(verdict, attempt.exchange(), proxyToClientResponse.getStatus());
            proxyToClientCallback.failed(failure);
            return;
        }
        state.lastFailure(verdict);
        Retrier retrier = state.resilience().retrier();
        if (!retrier.policy().enabled() || (!state.body().resendable() && Retrier.requestNeverLeft(verdict))) {
            // (a streamed body already read by an attempt that never reached the upstream cannot be sent again)
            writeVerdict(proxyToClientResponse, proxyToClientCallback, verdict, state, null);
            return;
        }
        retrier.afterFailure(attemptContext(clientToProxyRequest, state, attempt), verdict, attempt.upstream().id())
                .whenComplete((decision, never) -> guarded(proxyToClientResponse, proxyToClientCallback, state, () -> {
                    if (decision != null && decision.retry()) {
                        scheduleAttempt(decision.delay(), clientToProxyRequest, proxyToClientResponse,
                                proxyToClientCallback, state);
                    } else {
                        writeVerdict(proxyToClientResponse, proxyToClientCallback, verdict, state, null);
                    }
                }));
    }

    private static AttemptContext attemptContext(Request request, ProxiedExchange state, UpstreamAttempt attempt) {
        return new AttemptContext(request.getMethod(), state.body().replayable(), false, attempt.number(),
                state.startNanos());
    }

    /**
     * The core's verdict, plus one fact only this handler knows: a parser failure after a valid head of a
     * chunked response is invalid chunked framing (RFC 9209 §2.3.24), not a head syntax error.
     */
    private UpstreamFailure classify(Throwable failure, UpstreamAttempt attempt) {
        Phase phase = attempt.phase();
        if (phase == Phase.READ_BODY && attempt.chunkedResponse() && causedByHttpParser(failure)) {
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

    private void writeVerdict(Response response, Callback callback, UpstreamFailure failure, ProxiedExchange state,
                              Duration retryAfter) {
        write(response, callback, guard.failureResponse(failure, state.exchange(), retryAfter), state);
    }

    private static void write(Response response, Callback callback, ErrorResponse error, ProxiedExchange state) {
        response.reset();
        response.setStatus(error.status());
        HttpFields.Mutable headers = response.getHeaders();
        for (Map.Entry<String, String> header : error.headers()) {
            headers.put(header.getKey(), header.getValue());
        }
        for (Map.Entry<String, String> field : state.responseFields()) {
            headers.put(field.getKey(), field.getValue());
        }
        headers.put(HttpHeader.CONTENT_LENGTH, error.body().length);
        response.write(true, ByteBuffer.wrap(error.body()), callback);
    }

    /** Thrown into an upstream response whose head is retried, so that none of it reaches the client. */
    private static final class HeadRetried extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HeadRetried() {
            super("upstream response head retried", null, false, false);
        }
    }

    /**
     * Validates the head before anything is committed, asks the retrier about a retryable status, then
     * relays the head with hop-by-hop fields removed. While a retry decision is pending, later listener calls
     * wait in a {@link ListenerGate}; a retried head's body and completion never reach the client.
     */
    private final class GuardedResponseListener extends ProxyResponseListener {
        private final Request clientToProxyRequest;
        private final Response proxyToClientResponse;
        private final Callback proxyToClientCallback;
        private final ProxiedExchange state;
        private final UpstreamAttempt attempt;
        private final ListenerGate gate = new ListenerGate();

        GuardedResponseListener(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
                                Response proxyToClientResponse, Callback proxyToClientCallback) {
            super(clientToProxyRequest, proxyToServerRequest, proxyToClientResponse, proxyToClientCallback);
            this.clientToProxyRequest = clientToProxyRequest;
            this.proxyToClientResponse = proxyToClientResponse;
            this.proxyToClientCallback = proxyToClientCallback;
            this.state = state(clientToProxyRequest);
            this.attempt = attempt(proxyToServerRequest);
        }

        @Override
        public void onHeaders(org.eclipse.jetty.client.Response serverToProxyResponse) {
            headDeadlines.disarm(attempt);
            JettyResponseHead head = JettyResponseHead.of(serverToProxyResponse);
            boolean headRequest = HttpMethod.HEAD.is(clientToProxyRequest.getMethod());
            ValidationResult result = guard.validate(head, headRequest ? HEAD_REQUEST : ValidationContext.DEFAULT);
            HttpFields received = serverToProxyResponse.getHeaders();
            attempt.receivedProxyStatus(received.getValuesList(PROXY_STATUS));
            if (!result.ok()) {
                serverToProxyResponse.abort(new UpstreamFailureException(result.failure()));
                return;
            }
            int status = serverToProxyResponse.getStatus();
            state.resilience().pool().onResponse(attempt.upstream(), status);
            Retrier retrier = state.resilience().retrier();
            if (retrier.policy().enabled() && retrier.policy().retryOnStatuses().contains(status)) {
                gate.hold();
                CompletionStage<RetryDecision> decision = retrier.afterResponse(
                        attemptContext(clientToProxyRequest, state, attempt), status,
                        received.get(HttpHeader.RETRY_AFTER), attempt.upstream().id());
                decision.whenComplete((d, never) -> decided(serverToProxyResponse, d, result, head));
                return;
            }
            relayHead(serverToProxyResponse, result, head);
        }

        private void decided(org.eclipse.jetty.client.Response serverToProxyResponse, RetryDecision decision,
                             ValidationResult result, JettyResponseHead head) {
            try {
                if (decision != null && decision.retry()) {
                    attempt.retryAfter(decision.delay());
                    serverToProxyResponse.abort(new HeadRetried());
                } else {
                    relayHead(serverToProxyResponse, result, head);
                }
            } catch (RuntimeException e) {
                serverToProxyResponse.abort(e);
            } finally {
                gate.release();
            }
        }

        private void relayHead(org.eclipse.jetty.client.Response serverToProxyResponse, ValidationResult result,
                               JettyResponseHead head) {
            HttpFields received = serverToProxyResponse.getHeaders();
            int status = serverToProxyResponse.getStatus();
            attempt.chunkedResponse(received.contains(HttpHeader.TRANSFER_ENCODING, "chunked"));
            copyHead(status, received, result.repairs(), HopByHop.connectionOptions(head));
            attempt.phase(Phase.READ_BODY);
            if (status < 500) {
                state.resilience().retrier().onSuccess(attempt.number(), status, attempt.upstream().id());
            }
        }

        private void copyHead(int status, HttpFields received, List<HeadRepair> repairs, Set<String> connectionOptions) {
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
                out.put(PROXY_STATUS, guard.passThrough(status, attempt.exchange()));
            } else if (!attempt.receivedProxyStatus().isEmpty()) {
                out.put(PROXY_STATUS, String.join(", ", attempt.receivedProxyStatus()));
            }
            for (Map.Entry<String, String> field : state.responseFields()) {
                out.put(field.getKey(), field.getValue());
            }
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
            if (attempt.retryDelay() != null) {
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
                if (attempt.retryDelay() == null) {
                    super.onSuccess(serverToProxyResponse);
                }
            });
        }

        @Override
        public void onComplete(Result result) {
            gate.submit(() -> {
                headDeadlines.disarm(attempt);
                Duration retryDelay = attempt.retryDelay();
                if (retryDelay != null) {
                    scheduleAttempt(retryDelay, clientToProxyRequest, proxyToClientResponse, proxyToClientCallback, state);
                    return;
                }
                super.onComplete(result);
            });
        }
    }
}
