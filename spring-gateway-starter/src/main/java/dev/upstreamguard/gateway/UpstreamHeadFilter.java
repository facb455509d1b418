package dev.upstreamguard.gateway;

import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.Upstream;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.ValidationContext;
import dev.upstreamguard.core.lifecycle.GuardedExchange;
import dev.upstreamguard.core.lifecycle.RouteGuard;
import dev.upstreamguard.core.lifecycle.RouteGuards;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.lifecycle.UpstreamPool;
import dev.upstreamguard.core.lifecycle.Verdict;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.LoadBalancerUriTools;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClientResponse;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The inner half of the starter, ordered just before {@link NettyRoutingFilter}: the rest of the chain is
 * the upstream call itself, which completes once the upstream's response head has arrived and before
 * {@code NettyWriteResponseFilter} relays anything. It translates between Reactor and the core's request
 * lifecycle: each request is a {@link GuardedExchange} of its route's {@link RouteGuard} (kept in a
 * {@link RouteGuards} registry across route refreshes), which admits it, gives every attempt its head
 * deadline, validates the head before anything is committed, decides retries — after the delay, on another
 * load-balanced instance when there is one — and answers. This filter only runs the attempts, applies the
 * verdicts to the exchange and reports what Reactor Netty observed (through {@link GuardedAttempt}).
 *
 * <p>An answer travels to the global filter as an {@link AnsweredException}; a retried or rejected head's
 * upstream connection is closed, never returned to the pool.
 */
public class UpstreamHeadFilter implements GlobalFilter, Ordered {
    /** Just before the routing filter: after it, the chain is the upstream call. */
    public static final int ORDER = NettyRoutingFilter.ORDER - 1;

    private static final ValidationContext HEAD_REQUEST = new ValidationContext(false, true);

    private final RouteGuards routes = new RouteGuards();
    private final RouteResponseTimeouts timeouts;
    private final LoadBalancedPools pools;

    /** A filter without passive health for load-balanced routes; see {@link #UpstreamHeadFilter(Duration, HttpClientProperties, LoadBalancedPools)}. */
    public UpstreamHeadFilter(Duration defaultResponseTimeout, HttpClientProperties gatewayClient) {
        this(defaultResponseTimeout, gatewayClient, null);
    }

    /**
     * @param defaultResponseTimeout the response timeout of routes without one of their own when the gateway
     *                               has none either; {@code null} or zero for none
     * @param gatewayClient          the gateway's client settings, for its response timeout
     * @param pools                  passive health of load-balanced services; {@code null} for none
     */
    public UpstreamHeadFilter(Duration defaultResponseTimeout, HttpClientProperties gatewayClient,
                              LoadBalancedPools pools) {
        this.timeouts = new RouteResponseTimeouts(defaultResponseTimeout, gatewayClient);
        this.pools = pools;
    }

    /** The route guards by route id (their limits, budgets and pools), for status pages and refresh handling. */
    public RouteGuards routeGuards() {
        return routes;
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
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        String routeId = route == null ? GatewayExchanges.NO_ROUTE : route.getId();
        UpstreamGuard guard = attempt.guard();
        Duration timeout = timeouts.of(attempt, route);
        RouteGuard routeGuard = routes.get(routeId, new Definition(guard.policy(), timeout),
                () -> RouteGuard.builder(routeId, guard).responseTimeout(timeout).build());
        ServerHttpRequest request = exchange.getRequest();
        // begun with the exchange bound to this thread: its request id may be the server observation's trace id
        GuardedExchange guarded = GatewayObservations.during(exchange,
                () -> routeGuard.exchange(new SpringClientRequest(request)));
        GuardedExchange previous = attempt.exchange();
        if (previous != null) {
            previous.complete(); // the gateway's own Retry filter runs the chain again: the earlier run's slot is freed
        }
        attempt.exchange(guarded);
        return decided(GatewayObservations.during(exchange, guarded::admit)).flatMap(verdict -> {
            if (!(verdict instanceof Verdict.Admitted)) {
                return Mono.error(new AnsweredException((Verdict.Answer) verdict));
            }
            admissionFields(exchange, guarded);
            guarded.body(!hasBody(request));
            return new Attempts(exchange, chain, guarded).next();
        });
    }

    /** What a route guard is built from: a refresh with the same policy and timeout keeps the route's state. */
    private record Definition(Object policy, Duration responseTimeout) {
    }

    private static void admissionFields(ServerWebExchange exchange, GuardedExchange guarded) {
        List<Map.Entry<String, String>> fields = guarded.responseFields();
        if (fields.isEmpty()) {
            return; // no limit answered with fields: no iterator, no lambda
        }
        HttpHeaders headers = exchange.getResponse().getHeaders();
        for (Map.Entry<String, String> h : fields) {
            headers.set(h.getKey(), h.getValue());
        }
    }

    /**
     * The core's decision as a {@code Mono}. A cancelled subscription (the client left) must not cancel the
     * core's stage: the core's completed stages refuse it, and a pending one is the core's, not ours.
     */
    private static Mono<Verdict> decided(java.util.concurrent.CompletionStage<Verdict> stage) {
        return Mono.fromFuture(stage.toCompletableFuture(), true);
    }

    /** Whether the request carries a body that a retry would have to replay (the gateway streams it). */
    private static boolean hasBody(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }

    /** One request's attempts, as the core's exchange directs them. */
    private final class Attempts {
        private final ServerWebExchange exchange;
        private final GatewayFilterChain chain;
        private final GuardedExchange guarded;
        private final String serviceId;
        private List<String> triedInstances; // made on a load-balanced route's first attempt

        Attempts(ServerWebExchange exchange, GatewayFilterChain chain, GuardedExchange guarded) {
            this.exchange = exchange;
            this.chain = chain;
            this.guarded = guarded;
            this.serviceId = pools == null ? null : GatewayExchanges.serviceId(exchange);
        }

        Mono<Void> next() {
            return Mono.defer(() -> {
                Verdict verdict = begin();
                if (!(verdict instanceof Verdict.SendTo send)) {
                    return apply(verdict, null);
                }
                Duration deadline = send.headTimeout();
                return chain.filter(exchange)
                        .timeout(deadline, Mono.error(() -> new TimeoutException(
                                "no response head within " + deadline.toMillis() + " ms")))
                        .then(Mono.defer(this::afterHead))
                        .onErrorResume(error -> error instanceof AnsweredException ? Mono.error(error)
                                : afterFailure(error));
            });
        }

        /** The next attempt: on a load-balanced route, an instance not tried yet when there is one. */
        private Verdict begin() {
            if (guarded.attempt() > 0) {
                GatewayObservations.nextAttempt(exchange);
                ServerWebExchangeUtils.reset(exchange); // closes the previous attempt's connection, drops its fields
                exchange.getResponse().getHeaders().remove(UpstreamGuard.PROXY_STATUS);
                admissionFields(exchange, guarded);
                if (serviceId != null) {
                    reroute();
                }
            }
            ServiceInstance instance = instance();
            UpstreamPool pool = instance == null ? null : pools.pool(serviceId, health());
            Upstream member = pool == null ? null : pools.memberOf(serviceId, health(), instance);
            if (member != null) {
                if (triedInstances == null) {
                    triedInstances = new ArrayList<>(2);
                }
                triedInstances.add(member.id());
            }
            URI target = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
            return guarded.nextAttempt(member, member == null ? null : pool, target == null ? null : target.getHost());
        }

        private Mono<Void> afterHead() {
            HttpClientResponse upstream = exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR);
            if (upstream == null) {
                return Mono.empty();
            }
            ResponseHead head = UpstreamHeads.of(upstream);
            // the gateway never forwards a client's Upgrade on an http route (it is hop-by-hop), so a 101 is never asked for
            ValidationContext context = exchange.getRequest().getMethod() == HttpMethod.HEAD ? HEAD_REQUEST
                    : ValidationContext.DEFAULT;
            return decided(guarded.onHead(head, context, upstream.responseHeaders().getAll(UpstreamGuard.PROXY_STATUS),
                    upstream.responseHeaders().get(HttpHeaders.RETRY_AFTER))).flatMap(verdict -> apply(verdict, head));
        }

        private Mono<Void> afterFailure(Throwable error) {
            if (ClientAbort.clientGone(exchange.getResponse())) {
                guarded.clientGone(); // no retry, nothing blamed: the global filter ends the exchange quietly
                return Mono.error(error);
            }
            UpstreamFailure failure = guarded.route().guard().recognise(error, guarded.phase());
            if (failure == null) {
                return Mono.error(error); // not an upstream failure: the global filter decides
            }
            GatewayObservations.failed(exchange, error, failure.type()); // answered or retried: Spring never sees it
            return decided(GatewayObservations.during(exchange, () -> guarded.onFailure(failure)))
                    .flatMap(verdict -> apply(verdict, null));
        }

        /** Writes a verdict onto the exchange: relay the head, retry after the delay, answer, or abort. */
        private Mono<Void> apply(Verdict verdict, ResponseHead head) {
            if (verdict instanceof Verdict.Relay relay) {
                HttpHeaders outgoing = exchange.getResponse().getHeaders();
                UpstreamHeads.applyRepairs(head, relay.repairs(), outgoing);
                if (relay.proxyStatus() == null) {
                    outgoing.remove(UpstreamGuard.PROXY_STATUS);
                } else {
                    outgoing.set(UpstreamGuard.PROXY_STATUS, relay.proxyStatus());
                }
                return Mono.empty();
            }
            if (verdict instanceof Verdict.Retry retry) {
                GatewayObservations.serverEvent(exchange, "upstream.guard.retry.scheduled", retry.reason());
                ServerWebExchangeUtils.reset(exchange); // this head is not relayed: its connection is closed
                return Mono.delay(retry.delay()).then(next());
            }
            if (verdict instanceof Verdict.Answer answer) {
                return Mono.error(new AnsweredException(answer));
            }
            Verdict.Abort abort = (Verdict.Abort) verdict;
            return Mono.error(new IllegalStateException("upstream exchange aborted: "
                    + (abort.failure() == null ? "client gone" : abort.failure().type().token())));
        }

        /** The route guard's health policy: it chose the pool the load balancer listed from. */
        private dev.upstreamguard.core.policy.PassiveHealthPolicy health() {
            return guarded.route().guard().policy().health();
        }

        /** The load-balanced instance of the current attempt, or {@code null} (not an {@code lb://} route). */
        private ServiceInstance instance() {
            if (serviceId == null) {
                return null;
            }
            Response<ServiceInstance> chosen = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR);
            return chosen == null ? null : chosen.getServer();
        }

        /** Points the next attempt at an instance in rotation, one not tried yet when there is one. */
        private void reroute() {
            if (instance() == null) {
                return;
            }
            ServiceInstance next = pools.next(serviceId, health(), triedInstances == null ? List.of() : triedInstances);
            if (next != null) {
                URI url = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
                exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR,
                        LoadBalancerUriTools.reconstructURI(next, url));
                exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR,
                        new DefaultResponse(next));
            }
        }
    }
}
