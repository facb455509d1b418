package dev.upstreamguard.benchmarks.macro.gateway;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Round-robin over two upstreams for one route, the least a load balancer does, without Spring Cloud
 * LoadBalancer: right after the gateway turned the route's URI into the request URL, every other request
 * of route {@code routeId} is sent to {@code other} (same path and query) instead.
 */
final class HalfRouteRoundRobin implements GlobalFilter, Ordered {
    private final String routeId;
    private final URI other;
    private final AtomicInteger turn = new AtomicInteger();

    HalfRouteRoundRobin(String routeId, URI other) {
        this.routeId = routeId;
        this.other = other;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        URI url = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
        if (route != null && url != null && routeId.equals(route.getId()) && (turn.getAndIncrement() & 1) == 1) {
            URI rewritten = UriComponentsBuilder.fromUri(url).host(other.getHost()).port(other.getPort())
                    .build(true).toUri();
            exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR, rewritten);
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1;
    }
}
