package dev.upstreamguard.samples.demo;

import dev.upstreamguard.servlet.UpstreamGuardFilter;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Scenario;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.util.EnumSet;

/**
 * The same small servlet application twice, on embedded Jetty: {@code GET /call?scenario=<name>} calls the
 * misbehaving upstream with the JDK HttpClient ({@link UpstreamCallingServlet}); one copy is stock, the
 * other runs behind {@link UpstreamGuardFilter}.
 */
final class ServletApps {

    private ServletApps() {
    }

    /** Starts the application on an ephemeral loopback port, with the filter when {@code guarded}. */
    static Server start(MisbehavingUpstream upstream, boolean guarded) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        if (guarded) {
            FilterHolder filter = new FilterHolder(UpstreamGuardFilter.class);
            filter.setInitParameter(UpstreamGuardFilter.ROUTE_ID, "demo");
            filter.setInitParameter("exposure.trusted-cidrs", JettyStacks.LOOPBACK); // details for the demo's client
            context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(new ServletHolder(new UpstreamCallingServlet(upstream)), "/call");
        server.setHandler(context);
        server.start();
        return server;
    }

    /** The application's path for {@code scenario}. */
    static String pathOf(Scenario scenario) {
        return "/call?scenario=" + scenario.name();
    }
}
