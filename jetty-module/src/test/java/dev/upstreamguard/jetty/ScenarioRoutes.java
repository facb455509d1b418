package dev.upstreamguard.jetty;

import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Scenario;
import dev.upstreamguard.testkit.Target;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One route per scenario target, so that every scenario of the list is a plain request to the proxy:
 * {@code /fault/...} to the misbehaving upstream, {@code /refused}, {@code /connect-timeout} and
 * {@code /dns-error} to the test kit's failing addresses.
 */
final class ScenarioRoutes {
    private final MisbehavingUpstream upstream;

    ScenarioRoutes(MisbehavingUpstream upstream) {
        this.upstream = upstream;
    }

    List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.add(new Route("faults", "/fault", List.of(upstream.baseUri()), false));
        routes.add(new Route("refused", "/refused", List.of(base(upstream.refusedUri())), false));
        routes.add(new Route("connect-timeout", "/connect-timeout", List.of(base(upstream.connectTimeoutUri())), false));
        routes.add(new Route("dns-error", "/dns-error", List.of(base(MisbehavingUpstream.unresolvableUri())), true));
        return routes;
    }

    /** The request path on the proxy for {@code scenario}. */
    static String pathOf(Scenario scenario, MisbehavingUpstream upstream) {
        if (scenario.target() == Target.UNRESOLVABLE) {
            return "/dns-error";
        }
        return scenario.uri(upstream).getRawPath();
    }

    /** The stock proxy's rewrite: the same routes, by the same prefixes. */
    Function<org.eclipse.jetty.server.Request, org.eclipse.jetty.http.HttpURI> stockRewriter() {
        ProxyConfig config = new ProxyConfig(routes(), Timeouts.DEFAULTS, "stock", 1, 1);
        return request -> {
            String path = org.eclipse.jetty.server.Request.getPathInContext(request);
            Route route = config.match(path);
            URI base = route.upstreams().get(0);
            return org.eclipse.jetty.http.HttpURI.build(base.resolve(route.upstreamPath(path)).toString());
        };
    }

    private static URI base(URI uri) {
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
    }
}
