package dev.upstreamguard.gateway;

import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.admission.AdmissionVerdicts;
import dev.upstreamguard.core.events.AdmissionEvent;
import dev.upstreamguard.core.health.Selection;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.NotFoundException;
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
 *   <li>A load-balanced route whose instances are all ejected by passive health (the load balancer found
 *       none in rotation): 503 {@code destination_unavailable} with {@code Retry-After} until the first
 *       returns, and an {@link AdmissionEvent} {@code NO_HEALTHY_UPSTREAM}.</li>
 * </ul>
 * Ordered just after the highest precedence, so it is outside the gateway's own filters (and a route's
 * {@code Retry} filter) and sees the final outcome.
 */
public class UpstreamGuardGlobalFilter implements GlobalFilter, Ordered {
    /** Outside every gateway filter but the very first ones. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private final UpstreamGuard guard;
    private final LoadBalancedPools pools;

    /** A filter answering with {@code guard} unless a route's {@code UpstreamGuard} filter overrides it. */
    public UpstreamGuardGlobalFilter(UpstreamGuard guard) {
        this(guard, null);
    }

    /** Like {@link #UpstreamGuardGlobalFilter(UpstreamGuard)}, with the passive health of load-balanced services. */
    public UpstreamGuardGlobalFilter(UpstreamGuard guard, LoadBalancedPools pools) {
        this.guard = guard;
        this.pools = pools;
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
        UpstreamFailure failure = routeGuard.recognise(error, attempt.phase());
        if (failure == null) {
            Selection none = noInstanceInRotation(exchange, error);
            if (none != null) {
                return noHealthyUpstream(exchange, attempt, none);
            }
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
            attempt.upstreamFailed(failure);
            return ClientAbort.abort(response, error);
        }
        return ErrorResponses.write(response, routeGuard.failureResponse(failure, guarded, attempt.retryAfter()),
                attempt.admissionHeaders());
    }

    /** When the load balancer found no instance because passive health ejected them all: that selection. */
    private Selection noInstanceInRotation(ServerWebExchange exchange, Throwable error) {
        if (pools == null || !(error instanceof NotFoundException)) {
            return null;
        }
        return pools.noneInRotation(GatewayExchanges.serviceId(exchange));
    }

    private Mono<Void> noHealthyUpstream(ServerWebExchange exchange, GuardedAttempt attempt, Selection none) {
        UpstreamGuard routeGuard = attempt.guard();
        Exchange guarded = GatewayExchanges.of(exchange, attempt, List.of());
        dev.upstreamguard.core.ErrorResponse error = routeGuard.failureResponse(AdmissionVerdicts.noHealthyUpstream(),
                guarded, none.retryAfter());
        routeGuard.listener().onAdmissionRejected(new AdmissionEvent(guarded.routeId(),
                AdmissionEvent.Kind.NO_HEALTHY_UPSTREAM, error.status(), retryAfterSeconds(error)));
        return ErrorResponses.write(exchange.getResponse(), error, attempt.admissionHeaders());
    }

    private static long retryAfterSeconds(dev.upstreamguard.core.ErrorResponse error) {
        String value = error.header("Retry-After");
        return value == null ? 0 : Long.parseLong(value);
    }

    /** The upstream's own {@code Proxy-Status} lines, when its head had arrived. */
    static List<String> receivedProxyStatus(ServerWebExchange exchange) {
        HttpClientResponse upstream = exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR);
        return upstream == null ? List.of() : upstream.responseHeaders().getAll(UpstreamGuard.PROXY_STATUS);
    }
}
