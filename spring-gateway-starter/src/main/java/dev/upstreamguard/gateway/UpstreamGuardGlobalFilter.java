package dev.upstreamguard.gateway;

import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamGuard;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClientResponse;

import java.util.List;

/**
 * The outer half of the starter: it wraps the whole filter chain of a routed request and answers every
 * upstream failure that reaches it.
 * <ul>
 *   <li>Nothing committed yet: the core's verdict replaces whatever the response held — status per the
 *       policy, {@code Proxy-Status}, problem details, {@code Retry-After} on 503 — and is logged and
 *       counted through the guard.</li>
 *   <li>Already committed (the body was being relayed): the abort is logged and counted, and the error
 *       goes on so the server closes the connection: the client sees a truncated body, never a
 *       complete-looking one (DESIGN §4).</li>
 *   <li>Errors that are not upstream failures and were raised before the upstream attempt (a filter's
 *       deliberate {@code ResponseStatusException}, e.g. 413 or 429) pass untouched; an unknown error
 *       during the attempt is {@code proxy_internal_error}.</li>
 * </ul>
 * Ordered just after the highest precedence, so it is outside the gateway's own filters (and a route's
 * {@code Retry} filter) and sees the final outcome.
 */
public class UpstreamGuardGlobalFilter implements GlobalFilter, Ordered {
    /** Outside every gateway filter but the very first ones. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private final UpstreamGuard guard;

    /** A filter answering with {@code guard} unless a route's {@code UpstreamGuard} filter overrides it. */
    public UpstreamGuardGlobalFilter(UpstreamGuard guard) {
        this.guard = guard;
    }

    /** The guard routes use unless they override it. */
    public UpstreamGuard guard() {
        return guard;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        GuardedAttempt attempt = new GuardedAttempt(guard, guard.nanoTime());
        exchange.getAttributes().put(GuardedAttempt.KEY, attempt);
        return chain.filter(exchange)
                .onErrorResume(error -> answer(exchange, attempt, error))
                .doFinally(signal -> attempt.release())
                .contextWrite(context -> context.put(GuardedAttempt.KEY, attempt));
    }

    private Mono<Void> answer(ServerWebExchange exchange, GuardedAttempt attempt, Throwable error) {
        UpstreamGuard routeGuard = attempt.guard();
        UpstreamFailure failure = HeadPhase.correct(routeGuard.recognise(error, attempt.phase()), attempt.phase());
        if (failure == null) {
            if (!attempt.routing() || error instanceof ErrorResponse) {
                return Mono.error(error); // not an upstream failure: Spring's error handling answers it
            }
            failure = routeGuard.classify(error, attempt.phase()); // proxy_internal_error, logged with its stack
        }
        Exchange guarded = GatewayExchanges.of(exchange, attempt, receivedProxyStatus(exchange));
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            HttpStatusCode status = response.getStatusCode();
            routeGuard.aborted(failure, guarded, status == null ? 200 : status.value());
            return ClientAbort.abort(response, error);
        }
        return ErrorResponses.write(response, routeGuard.failureResponse(failure, guarded, attempt.retryAfter()),
                attempt.admissionHeaders());
    }

    /** The upstream's own {@code Proxy-Status} lines, when its head had arrived. */
    static List<String> receivedProxyStatus(ServerWebExchange exchange) {
        HttpClientResponse upstream = exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR);
        return upstream == null ? List.of() : upstream.responseHeaders().getAll(UpstreamGuard.PROXY_STATUS);
    }
}
