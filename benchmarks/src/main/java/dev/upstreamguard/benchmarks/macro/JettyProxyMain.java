package dev.upstreamguard.benchmarks.macro;

import dev.upstreamguard.jetty.UpstreamGuardProxy;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One Jetty 12 reverse proxy of the load run, in its own JVM: {@code stock} ({@code ProxyHandler.Reverse},
 * Jetty's defaults) or {@code guarded} (jetty-module's {@code UpstreamGuardProxy}, the guard's defaults).
 * Both on the same {@code Server} (default thread pool, one connector on 127.0.0.1) with the same three
 * routes (see {@link ProxyRoutes}).
 *
 * <p>Arguments: {@code stock|guarded <port> <stats port> <live upstream URI> <dead upstream URI>}.
 */
public final class JettyProxyMain {

    private JettyProxyMain() {
    }

    /** Starts the proxy and blocks until the JVM is stopped. */
    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int port = Integer.parseInt(args[1]);
        ProcessStatsEndpoint.start(Integer.parseInt(args[2]));
        ProxyRoutes routes = new ProxyRoutes(URI.create(args[3]), URI.create(args[4]));

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(switch (kind) {
            case "stock" -> stock(routes);
            case "guarded" -> guarded(routes);
            default -> throw new IllegalArgumentException("kind must be stock or guarded, was " + kind);
        });
        server.start();
        System.out.println("READY " + kind + " " + port);
        server.join();
    }

    /** Stock Jetty: {@code ProxyHandler.Reverse} whose rewriter maps the three routes (round-robin on /half). */
    static Handler stock(ProxyRoutes routes) {
        AtomicInteger turn = new AtomicInteger();
        return new ProxyHandler.Reverse(request -> {
            String path = Request.getPathInContext(request);
            URI upstream = routes.upstreamFor(path, turn.getAndIncrement());
            return HttpURI.build(request.getHttpURI()).scheme(upstream.getScheme()).host(upstream.getHost())
                    .port(upstream.getPort());
        });
    }

    /** Jetty with upstream-guard: the same three routes, everything else at its defaults. */
    static Handler guarded(ProxyRoutes routes) {
        return UpstreamGuardProxy.builder()
                .route(ProxyRoutes.OK, List.of(routes.live()))
                .route(ProxyRoutes.DEAD, List.of(routes.dead()))
                .route(ProxyRoutes.HALF, List.of(routes.live(), routes.dead()))
                .build();
    }
}
