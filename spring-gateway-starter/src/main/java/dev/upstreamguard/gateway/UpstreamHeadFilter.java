package dev.upstreamguard.gateway;

import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.UpstreamFailureException;
import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.admission.RouteAdmission;
import dev.upstreamguard.core.validate.ResponseHead;
import dev.upstreamguard.core.validate.ValidationContext;
import dev.upstreamguard.core.validate.ValidationResult;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClientResponse;

import java.net.URI;
import java.time.Duration;

/**
 * The inner half of the starter, ordered just before {@link NettyRoutingFilter}: the rest of the chain is
 * the upstream call itself, which completes once the upstream's response head has arrived and before
 * {@code NettyWriteResponseFilter} relays anything. Here it
 * <ul>
 *   <li>admits the request under the route's rate limit and concurrency limit (429 with
 *       {@code Retry-After} and {@code RateLimit} fields, or 503 {@code connection_limit_reached}),
 *       non-blocking;</li>
 *   <li>bounds the wait for the head with a deadline (the route filter's, else — when the gateway has no
 *       response timeout of its own — {@code upstream-guard.response-timeout}); a deadline, not an idle
 *       timeout, so a head trickling in byte by byte cannot stretch it;</li>
 *   <li>validates the head before anything is committed: a rejected head fails the exchange, and the
 *       global filter answers with the verdict, so no part of it reaches the client;</li>
 *   <li>appends our {@code Proxy-Status} member ({@code received-status}) to an upstream 5xx passed
 *       through, after any the upstream sent.</li>
 * </ul>
 */
public class UpstreamHeadFilter implements GlobalFilter, Ordered {
    /** Just before the routing filter: after it, the chain is the upstream call. */
    public static final int ORDER = NettyRoutingFilter.ORDER - 1;

    private final RouteAdmissions admissions = new RouteAdmissions();
    private final Duration defaultResponseTimeout;
    private final HttpClientProperties gatewayClient;

    /**
     * @param defaultResponseTimeout the head deadline for routes without one of their own when the gateway
     *                               has none either; {@code null} or zero for none
     * @param gatewayClient          the gateway's client settings, to see whether it has a response timeout
     */
    public UpstreamHeadFilter(Duration defaultResponseTimeout, HttpClientProperties gatewayClient) {
        this.defaultResponseTimeout = defaultResponseTimeout == null || defaultResponseTimeout.isZero()
                || defaultResponseTimeout.isNegative() ? null : defaultResponseTimeout;
        this.gatewayClient = gatewayClient;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        GuardedAttempt attempt = GuardedAttempt.of(exchange);
        URI target = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
        if (attempt == null || target == null || ServerWebExchangeUtils.isAlreadyRouted(exchange)
                || !("http".equalsIgnoreCase(target.getScheme()) || "https".equalsIgnoreCase(target.getScheme()))) {
            return chain.filter(exchange);
        }
        RouteAdmission admission = admissions.of(attempt.guard(), routeId(exchange));
        if (!admission.limits()) {
            return route(exchange, chain, attempt);
        }
        ServerHttpRequest request = exchange.getRequest();
        return Mono.fromCompletionStage(() -> admission.admit(RemoteAddresses.of(request), request.getHeaders()::getFirst))
                .flatMap(ticket -> {
                    attempt.admitted(ticket);
                    if (!ticket.admitted()) {
                        return Mono.error(new UpstreamFailureException(ticket.refusal()));
                    }
                    ticket.headers().forEach(h -> exchange.getResponse().getHeaders().set(h.getKey(), h.getValue()));
                    return route(exchange, chain, attempt);
                });
    }

    private Mono<Void> route(ServerWebExchange exchange, GatewayFilterChain chain, GuardedAttempt attempt) {
        attempt.startAttempt();
        Mono<Void> headArrived = chain.filter(exchange);
        Duration deadline = deadline(exchange, attempt);
        if (deadline != null) {
            headArrived = headArrived.timeout(deadline, Mono.error(() -> new TimeoutException(
                    "no response head within " + deadline.toMillis() + " ms")));
        }
        return headArrived.then(Mono.defer(() -> inspectHead(exchange, attempt)));
    }

    private static String routeId(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route == null ? GatewayExchanges.NO_ROUTE : route.getId();
    }

    private Duration deadline(ServerWebExchange exchange, GuardedAttempt attempt) {
        if (attempt.routeResponseTimeout() != null) {
            return attempt.routeResponseTimeout().isZero() ? null : attempt.routeResponseTimeout();
        }
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        boolean gatewayHasOne = (gatewayClient != null && gatewayClient.getResponseTimeout() != null)
                || (route != null && route.getMetadata().containsKey(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR));
        return gatewayHasOne ? null : defaultResponseTimeout;
    }

    private Mono<Void> inspectHead(ServerWebExchange exchange, GuardedAttempt attempt) {
        HttpClientResponse upstream = exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR);
        if (upstream == null) {
            return Mono.empty();
        }
        UpstreamGuard guard = attempt.guard();
        ResponseHead head = UpstreamHeads.of(upstream);
        // the gateway never forwards a client's Upgrade on an http route (it is hop-by-hop), so a 101 is never asked for
        ValidationContext context = new ValidationContext(false, exchange.getRequest().getMethod() == HttpMethod.HEAD);
        ValidationResult verdict = guard.validate(head, context);
        if (!verdict.ok()) {
            return Mono.error(new UpstreamFailureException(verdict.failure()));
        }
        UpstreamHeads.applyRepairs(head, verdict.repairs(), exchange.getResponse().getHeaders());
        int status = head.status();
        if (status >= 500) {
            Exchange guarded = GatewayExchanges.of(exchange, attempt,
                    UpstreamGuardGlobalFilter.receivedProxyStatus(exchange));
            exchange.getResponse().getHeaders().set(UpstreamGuard.PROXY_STATUS, guard.passThrough(status, guarded));
        }
        return Mono.empty();
    }
}
