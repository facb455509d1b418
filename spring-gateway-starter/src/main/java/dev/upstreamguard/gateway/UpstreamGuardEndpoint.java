package dev.upstreamguard.gateway;

import dev.upstreamguard.core.UpstreamGuard;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The actuator endpoint {@code upstreamguard}: the policy in force, every route with the failures it had
 * by RFC 9209 error token, totals by token, and the most recent failures. An operator view (the
 * actuator is secured like the gateway's own {@code gateway} endpoint); still, no exception message is
 * kept.
 */
@Endpoint(id = "upstreamguard")
public class UpstreamGuardEndpoint {

    private final UpstreamGuard guard;
    private final RecentFailures failures;
    private final RouteLocator routes;
    private final UpstreamGuardProperties properties;

    /** An endpoint over the global guard, the recorded failures and the gateway's routes ({@code routes} may be null). */
    public UpstreamGuardEndpoint(UpstreamGuard guard, RecentFailures failures, RouteLocator routes,
                                 UpstreamGuardProperties properties) {
        this.guard = guard;
        this.failures = failures;
        this.routes = routes;
        this.properties = properties;
    }

    /** The whole report. */
    @ReadOperation
    public Mono<Map<String, Object>> report() {
        Mono<List<Route>> known = routes == null ? Mono.just(List.of()) : routes.getRoutes().collectList();
        return known.map(this::report);
    }

    private Map<String, Object> report(List<Route> known) {
        Map<String, Map<String, Long>> countsByRoute = failures.countsByRoute();
        Map<String, Object> routeReport = new TreeMap<>();
        for (Route route : known) {
            routeReport.put(route.getId(), Map.of("uri", route.getUri().toString(),
                    "failures", countsByRoute.getOrDefault(route.getId(), Map.of())));
        }
        countsByRoute.forEach((id, counts) -> routeReport.putIfAbsent(id, Map.of("failures", counts)));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("policy", policy());
        report.put("routes", routeReport);
        report.put("failuresByType", failures.countsByType());
        report.put("recentFailures", failures.recent());
        return report;
    }

    private Map<String, Object> policy() {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("memberName", guard.policy().memberName());
        policy.put("exposure", guard.policy().exposure().exposure().name().toLowerCase(java.util.Locale.ROOT));
        policy.put("responseTimeout", String.valueOf(properties.getResponseTimeout()));
        policy.put("statusOverrides", new TreeMap<>(guard.policy().statusOverrides().entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(e -> e.getKey().token(), Map.Entry::getValue))));
        return policy;
    }
}
