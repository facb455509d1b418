package dev.upstreamguard.gateway;

import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.UpstreamFailureException;
import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.admission.RouteAdmission;
import dev.upstreamguard.core.retry.AttemptContext;
import dev.upstreamguard.core.retry.Retrier;
import dev.upstreamguard.core.validate.ResponseHead;
import dev.upstreamguard.core.validate.ValidationContext;
import dev.upstreamguard.core.validate.ValidationResult;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.LoadBalancerUriTools;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
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
 *   <li>runs the attempt loop: retries with full-jitter backoff and the route's retry budget where the
 *       core's retrier says it is safe (DESIGN §4), before anything is committed;</li>
 *   <li>bounds the wait for the head with a deadline (the route filter's, else — when the gateway has no
 *       response timeout of its own — {@code upstream-guard.response-timeout}); a deadline, not an idle
 *       timeout, so a head trickling in byte by byte cannot stretch it;</li>
 *   <li>validates the head before anything is committed: a rejected head fails the exchange, and the
 *       global filter answers with the verdict, so no part of it reaches the client;</li>
 *   <li>on a load-balanced ({@code lb://}) route, reports each attempt's failure or status for the chosen
 *       instance to its service's passive health ({@link LoadBalancedPools}), and sends a retry to another
 *       instance in rotation when there is one;</li>
 *   <li>appends our {@code Proxy-Status} member ({@code received-status}) to an upstream 5xx passed
 *       through, after any the upstream sent.</li>
 * </ul>
 */
public class UpstreamHeadFilter implements GlobalFilter, Ordered {
    /** Just before the routing filter: after it, the chain is the upstream call. */
    public static final int ORDER = NettyRoutingFilter.ORDER - 1;

    private final RouteResilience resilience = new RouteResilience();
    private final Duration defaultResponseTimeout;
    private final HttpClientProperties gatewayClient;
    private final LoadBalancedPools pools;

    /** A filter without passive health for load-balanced routes; see {@link #UpstreamHeadFilter(Duration, HttpClientProperties, LoadBalancedPools)}. */
    public UpstreamHeadFilter(Duration defaultResponseTimeout, HttpClientProperties gatewayClient) {
        this(defaultResponseTimeout, gatewayClient, null);
    }

    /**
     * @param defaultResponseTimeout the head deadline for routes without one of their own when the gateway
     *                               has none either; {@code null} or zero for none
     * @param gatewayClient          the gateway's client settings, to see whether it has a response timeout
     * @param pools                  passive health of load-balanced services; {@code null} for none
     */
    public UpstreamHeadFilter(Duration defaultResponseTimeout, HttpClientProperties gatewayClient,
                              LoadBalancedPools pools) {
        this.defaultResponseTimeout = defaultResponseTimeout == null || defaultResponseTimeout.isZero()
                || defaultResponseTimeout.isNegative() ? null : defaultResponseTimeout;
        this.gatewayClient = gatewayClient;
        this.pools = pools;
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
        RouteResilience.Parts route = resilience.of(attempt.guard(), routeId(exchange));
        RouteAdmission admission = route.admission();
        if (!admission.limits()) {
            return attempts(exchange, chain, attempt, route.retrier());
        }
        ServerHttpRequest request = exchange.getRequest();
        return Mono.fromCompletionStage(() -> admission.admit(RemoteAddresses.of(request), request.getHeaders()::getFirst))
                .flatMap(ticket -> {
                    attempt.admitted(ticket);
                    if (!ticket.admitted()) {
                        return Mono.error(new UpstreamFailureException(ticket.refusal()));
                    }
                    ticket.headers().forEach(h -> exchange.getResponse().getHeaders().set(h.getKey(), h.getValue()));
                    return attempts(exchange, chain, attempt, route.retrier());
                });
    }

    /**
     * The attempt loop: one upstream attempt, and another when the route's retrier says it is safe and
     * allowed (the request never left, or an idempotent bodiless request; within attempts, deadline and
     * the retry budget), after its backoff. Nothing is committed before the head was accepted, so a retry
     * starts from a clean response.
     */
    private Mono<Void> attempts(ServerWebExchange exchange, GatewayFilterChain chain, GuardedAttempt attempt,
                                Retrier retrier) {
        retrier.onRequest();
        ServerHttpRequest request = exchange.getRequest();
        Attempts loop = new Attempts(exchange, chain, attempt, retrier, request.getMethod().name(),
                !hasBody(request), retrier.nanoTime());
        return loop.run(1);
    }

    /** The state of one request's attempt loop. */
    private final class Attempts {
        private final ServerWebExchange exchange;
        private final GatewayFilterChain chain;
        private final GuardedAttempt attempt;
        private final Retrier retrier;
        private final String method;
        private final boolean replayable;
        private final long startNanos;
        private final String serviceId;

        Attempts(ServerWebExchange exchange, GatewayFilterChain chain, GuardedAttempt attempt, Retrier retrier,
                 String method, boolean replayable, long startNanos) {
            this.exchange = exchange;
            this.chain = chain;
            this.attempt = attempt;
            this.retrier = retrier;
            this.method = method;
            this.replayable = replayable;
            this.startNanos = startNanos;
            this.serviceId = pools == null ? null : GatewayExchanges.serviceId(exchange);
        }

        Mono<Void> run(int number) {
            return Mono.defer(() -> {
                if (number > 1) {
                    forgetPreviousAttempt(exchange);
                }
                attempt.startAttempt(number, retrier.policy().maxAttempts());
                ServiceInstance instance = instance();
                if (instance != null) {
                    attempt.triedUpstreams().add(LoadBalancedPools.idOf(instance));
                    attempt.onUpstreamFailure(failure -> pools.onFailure(serviceId, instance, failure));
                }
                Mono<Void> headArrived = chain.filter(exchange);
                Duration deadline = deadline(exchange, attempt, retrier);
                if (deadline != null) {
                    headArrived = headArrived.timeout(deadline, Mono.error(() -> new TimeoutException(
                            "no response head within " + deadline.toMillis() + " ms")));
                }
                return headArrived
                        .then(Mono.defer(() -> afterHead(number)))
                        .onErrorResume(error -> afterFailure(number, error));
            });
        }

        private AttemptContext context(int number) {
            return new AttemptContext(method, replayable, false, number, startNanos);
        }

        private Mono<Void> afterFailure(int number, Throwable error) {
            UpstreamFailure failure = attempt.guard().recognise(error, attempt.phase());
            if (failure == null) {
                return Mono.error(error);
            }
            if (serviceId != null) {
                pools.onFailure(serviceId, instance(), failure);
            }
            return Mono.fromCompletionStage(() -> retrier.afterFailure(context(number), failure, upstreamId(exchange)))
                    .flatMap(decision -> decision.retry() && reroute()
                            ? Mono.delay(decision.delay()).then(run(number + 1))
                            : Mono.<Void>error(error));
        }

        private Mono<Void> afterHead(int number) {
            HttpClientResponse upstream = exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR);
            if (upstream == null) {
                return Mono.empty();
            }
            UpstreamFailure rejected = inspectHead(exchange, attempt, upstream);
            if (rejected != null) {
                if (serviceId != null) {
                    pools.onFailure(serviceId, instance(), rejected);
                }
                return Mono.error(new UpstreamFailureException(rejected));
            }
            int status = upstream.status().code();
            if (serviceId != null) {
                pools.onResponse(serviceId, instance(), status);
            }
            if (!retrier.policy().retryOnStatuses().contains(status)) {
                retrier.onSuccess(number, status, upstreamId(exchange));
                return Mono.empty();
            }
            return Mono.fromCompletionStage(() -> retrier.afterResponse(context(number), status,
                            upstream.responseHeaders().get("Retry-After"), upstreamId(exchange)))
                    .flatMap(decision -> decision.retry() && reroute()
                            ? Mono.delay(decision.delay()).then(run(number + 1))
                            : Mono.empty());
        }

        /** The load-balanced instance of the current attempt, or {@code null} (not an {@code lb://} route). */
        private ServiceInstance instance() {
            if (serviceId == null) {
                return null;
            }
            Response<ServiceInstance> chosen = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR);
            return chosen == null ? null : chosen.getServer();
        }

        /**
         * Points the next attempt of a load-balanced route at an instance in rotation, one not tried yet when
         * there is one; false when every instance is ejected by now (no retry). Other routes: always true.
         */
        private boolean reroute() {
            if (instance() == null) {
                return true;
            }
            ServiceInstance next = pools.next(serviceId, attempt.triedUpstreams());
            if (next == null) {
                return false;
            }
            URI current = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
            exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR,
                    LoadBalancerUriTools.reconstructURI(next, current));
            exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR, new DefaultResponse(next));
            return true;
        }
    }

    /** A retry starts clean: the previous attempt's connection closed, its headers gone, routing allowed again. */
    private static void forgetPreviousAttempt(ServerWebExchange exchange) {
        Connection previous = exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR);
        if (previous != null) {
            previous.dispose();
        }
        ServerWebExchangeUtils.reset(exchange); // removes the relayed headers and the already-routed mark
        exchange.getAttributes().remove(ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR);
        exchange.getAttributes().remove(ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR);
        exchange.getResponse().getHeaders().remove(UpstreamGuard.PROXY_STATUS);
    }

    /** Whether the request carries a body that a retry would have to replay. */
    private static boolean hasBody(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }

    private static String upstreamId(ServerWebExchange exchange) {
        return GatewayExchanges.serviceId(exchange);
    }

    private static String routeId(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route == null ? GatewayExchanges.NO_ROUTE : route.getId();
    }

    private Duration deadline(ServerWebExchange exchange, GuardedAttempt attempt, Retrier retrier) {
        if (attempt.routeResponseTimeout() != null) {
            return attempt.routeResponseTimeout().isZero() ? null : attempt.routeResponseTimeout();
        }
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        boolean gatewayHasOne = (gatewayClient != null && gatewayClient.getResponseTimeout() != null)
                || (route != null && route.getMetadata().containsKey(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR));
        if (gatewayHasOne) {
            return null;
        }
        Duration perTry = retrier.policy().perTryTimeout();
        return perTry != null ? perTry : defaultResponseTimeout;
    }

    /** Validates the head, applies repairs and marks an upstream 5xx; the verdict when the head is rejected, else null. */
    private static UpstreamFailure inspectHead(ServerWebExchange exchange, GuardedAttempt attempt, HttpClientResponse upstream) {
        UpstreamGuard guard = attempt.guard();
        ResponseHead head = UpstreamHeads.of(upstream);
        // the gateway never forwards a client's Upgrade on an http route (it is hop-by-hop), so a 101 is never asked for
        ValidationContext context = new ValidationContext(false, exchange.getRequest().getMethod() == HttpMethod.HEAD);
        ValidationResult verdict = guard.validate(head, context);
        if (!verdict.ok()) {
            return verdict.failure();
        }
        UpstreamHeads.applyRepairs(head, verdict.repairs(), exchange.getResponse().getHeaders());
        int status = head.status();
        if (status >= 500) {
            Exchange guarded = GatewayExchanges.of(exchange, attempt,
                    UpstreamGuardGlobalFilter.receivedProxyStatus(exchange));
            exchange.getResponse().getHeaders().set(UpstreamGuard.PROXY_STATUS, guard.passThrough(status, guarded));
        }
        return null;
    }
}
