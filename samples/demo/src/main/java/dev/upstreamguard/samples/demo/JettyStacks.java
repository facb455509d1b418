package dev.upstreamguard.samples.demo;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.PolicyBinder;
import dev.upstreamguard.jetty.GuardedProxyHandler;
import dev.upstreamguard.jetty.Route;
import dev.upstreamguard.jetty.StatusHandler;
import dev.upstreamguard.jetty.Timeouts;
import dev.upstreamguard.jetty.UpstreamGuardProxy;
import dev.upstreamguard.status.FailureHistory;
import dev.upstreamguard.status.StatusRegistry;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Scenarios;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The two Jetty 12 proxies: stock {@code ProxyHandler.Reverse}, and the jetty-module's guarded proxy. */
final class JettyStacks {

    /** The guarded proxy's timeouts: the list's contract (connect 500 ms, a 1 s deadline for the head). */
    static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(2), Scenarios.RECOMMENDED_CONNECT_TIMEOUT,
            Duration.ofSeconds(2), Scenarios.RECOMMENDED_RESPONSE_TIMEOUT, Duration.ofSeconds(3), Duration.ZERO);

    /**
     * The addresses every guarded stack of the demo shows {@code details} and {@code next-hop} to (its own
     * client, on this host): nobody sees them by default.
     */
    static final String LOOPBACK = "127.0.0.0/8,::1/128";

    private JettyStacks() {
    }

    /**
     * Stock {@code ProxyHandler.Reverse} with the same routes; connect timeout 500 ms and, its only stand-in
     * for a head timeout, an idle timeout of 1 s.
     */
    static Server stock(MisbehavingUpstream upstream) throws Exception {
        List<DemoRoutes.DemoRoute> routes = DemoRoutes.of(upstream);
        ProxyHandler.Reverse proxy = new ProxyHandler.Reverse(request -> rewrite(routes, request)) {
            @Override
            protected void configureHttpClient(HttpClient client) {
                super.configureHttpClient(client);
                client.setConnectTimeout(TIMEOUTS.connect().toMillis());
                client.setIdleTimeout(TIMEOUTS.responseHead().toMillis());
            }
        };
        return start(proxy);
    }

    private static HttpURI rewrite(List<DemoRoutes.DemoRoute> routes, Request request) {
        String path = Request.getPathInContext(request);
        URI target = routes.stream().filter(r -> path.startsWith(r.prefix())).map(DemoRoutes.DemoRoute::upstream)
                .findFirst().orElse(routes.get(0).upstream());
        String query = request.getHttpURI().getQuery();
        return HttpURI.build(target + path + (query == null ? "" : "?" + query));
    }

    /**
     * The guarded proxy (jetty-module, embedded) with its status page at {@link StatusHandler#DEFAULT_PATH}
     * (loopback clients only). Retries and passive health as by default: only requests that never reached the
     * upstream are retried, and a route's only upstream is never ejected.
     */
    static Server guarded(MisbehavingUpstream upstream) throws Exception {
        StatusRegistry status = new StatusRegistry(new FailureHistory());
        UpstreamGuard guard = UpstreamGuard.builder()
                .policy(PolicyBinder.bind(Map.of("exposure.trusted-cidrs", LOOPBACK)))
                .addListener(status.history())
                .build();
        UpstreamGuardProxy.Builder builder = UpstreamGuardProxy.builder().timeouts(TIMEOUTS).guard(guard);
        for (DemoRoutes.DemoRoute r : DemoRoutes.of(upstream)) {
            builder.route(Route.of(r.id(), r.prefix(), List.of(r.upstream())));
        }
        GuardedProxyHandler proxy = builder.build();
        for (Route route : proxy.config().routes()) {
            status.register(proxy.upstreamPool(route.id()));
        }
        StatusHandler page = new StatusHandler(status);
        page.setHandler(proxy);
        return start(page);
    }

    private static Server start(Handler handler) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
        return server;
    }

    /** The port a server started here listens on. */
    static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
