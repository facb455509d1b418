package dev.upstreamguard.gateway;

import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.RequestIds;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import java.net.URI;
import java.util.List;

/** Builds the core's {@link Exchange} from a gateway exchange. */
final class GatewayExchanges {
    /** The exchange attribute holding the resolved request id. */
    static final String REQUEST_ID = GatewayExchanges.class.getName() + ".requestId";
    /** Route id of exchanges the gateway had not matched to a route (not expected behind a global filter). */
    static final String NO_ROUTE = "none";

    private GatewayExchanges() {
    }

    /**
     * The exchange as the core sees it: route id, the upstream (the service id of an {@code lb://} route),
     * the next hop (the upstream host, shown only where exposure allows), the client address, Accept, the
     * request id, the start time and the upstream {@code Proxy-Status} lines received so far — for what is
     * answered before the core's exchange of the request began (no route, no instance in rotation).
     */
    static Exchange of(ServerWebExchange exchange, GuardedAttempt attempt, List<String> receivedProxyStatus) {
        ServerHttpRequest request = exchange.getRequest();
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        String routeId = route == null ? NO_ROUTE : route.getId();
        String upstreamId = serviceId(exchange);
        URI target = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
        String nextHop = target == null ? null : target.getHost();
        return new Exchange(routeId, upstreamId, nextHop, RemoteAddresses.of(request),
                request.getHeaders().getFirst(HttpHeaders.ACCEPT), requestId(exchange, attempt), receivedProxyStatus,
                1, 1, attempt.startNanos());
    }

    /** The service id of an {@code lb://} route, else {@code null}. */
    static String serviceId(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        URI uri = route == null ? null : route.getUri();
        return uri != null && "lb".equalsIgnoreCase(uri.getScheme()) ? uri.getHost() : null;
    }

    private static String requestId(ServerWebExchange exchange, GuardedAttempt attempt) {
        String id = exchange.getAttribute(REQUEST_ID);
        if (id == null) {
            // one id per request: the guarded exchange's when there is one, else the source's (the trace id), else the client's
            id = attempt.exchange() != null ? attempt.exchange().requestId()
                    : GatewayObservations.during(exchange, attempt.guard()::sourcedRequestId);
            if (id == null) {
                id = RequestIds.resolve(exchange.getRequest().getHeaders().getFirst(attempt.guard().policy().requestIdHeader()));
            }
            exchange.getAttributes().put(REQUEST_ID, id);
        }
        return id;
    }
}
