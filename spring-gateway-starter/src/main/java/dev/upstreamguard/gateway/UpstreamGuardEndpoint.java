package dev.upstreamguard.gateway;

import dev.upstreamguard.spring.StatusFormat;
import dev.upstreamguard.status.StatusRegistry;
import dev.upstreamguard.status.StatusRenderer;
import dev.upstreamguard.status.StatusReport;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The actuator endpoint {@code upstreamguard}, the operator's status page: every route of the gateway
 * with its upstreams' passive health (the instances of an {@code lb://} service; a plain {@code http://}
 * route has no pool, its health shows as unknown), failures by error type for each of the last minutes,
 * the last failures with their log phrases, and counters (retries, retry-budget denials, ejections,
 * admission refusals, limit backend failures). JSON by default; the same page as HTML for
 * {@code Accept: text/html} (a browser). Rendered by the core's {@link StatusRenderer}, so it holds no
 * exception message, host name or address. Secured like every actuator endpoint.
 */
@WebEndpoint(id = "upstreamguard")
public class UpstreamGuardEndpoint {

    private final StatusRegistry status;
    private final RouteLocator routes;
    private final LoadBalancedPools pools;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    /**
     * An endpoint over {@code status}, showing the gateway's {@code routes} (may be null) with the health of
     * load-balanced services from {@code pools} (may be null).
     */
    public UpstreamGuardEndpoint(StatusRegistry status, RouteLocator routes, LoadBalancedPools pools) {
        this.status = status;
        this.routes = routes;
        this.pools = pools;
    }

    /** The status page as JSON or HTML, as the request accepts. */
    @ReadOperation(producesFrom = StatusFormat.class)
    public Mono<WebEndpointResponse<byte[]>> status(StatusFormat format) {
        Mono<List<Route>> known = routes == null ? Mono.just(List.of()) : routes.getRoutes().collectList();
        return known.map(list -> {
            StatusReport report = report(list);
            String page = format == StatusFormat.HTML ? StatusRenderer.html(report) : StatusRenderer.json(report);
            return new WebEndpointResponse<>(page.getBytes(StandardCharsets.UTF_8), format);
        });
    }

    /** The report over the routes the gateway has now (routes may come and go at run time). */
    StatusReport report(List<Route> known) {
        Set<String> ids = new HashSet<>();
        for (Route route : known) {
            ids.add(route.getId());
            String serviceId = "lb".equalsIgnoreCase(route.getUri().getScheme()) ? route.getUri().getHost() : null;
            status.register(route.getId(), serviceId == null || pools == null ? () -> null : () -> pools.health(serviceId));
        }
        registered.addAll(ids);
        registered.removeIf(id -> {
            if (ids.contains(id)) {
                return false;
            }
            status.unregister(id);
            return true;
        });
        return status.report();
    }
}
