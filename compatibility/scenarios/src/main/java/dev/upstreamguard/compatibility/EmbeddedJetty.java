package dev.upstreamguard.compatibility;

import jakarta.servlet.ServletContainerInitializer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.util.function.Function;

/**
 * An embedded Jetty 12 server with one connector on 127.0.0.1; the environment module (ee10, ee11) supplies the
 * servlet context, which runs the application's initializer when it starts.
 */
public final class EmbeddedJetty implements EmbeddedContainer {
    private final Function<ServletContainerInitializer, Handler> servletContext;

    /** A Jetty whose root context {@code servletContext} makes (a {@code ServletContextHandler} at {@code /}). */
    public EmbeddedJetty(Function<ServletContainerInitializer, Handler> servletContext) {
        this.servletContext = servletContext;
    }

    @Override
    public Running start(ServletContainerInitializer application) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(servletContext.apply(application));
        server.start();
        return new Running(connector.getLocalPort(), server::stop);
    }
}
