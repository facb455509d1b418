package dev.upstreamguard.servlet;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.net.URI;
import java.util.function.Consumer;

/** An embedded Jetty 12 (ee10) server on an ephemeral loopback port. */
final class ServletTestServer implements AutoCloseable {
    private final Server server;
    private final URI uri;

    private ServletTestServer(Server server, URI uri) {
        this.server = server;
        this.uri = uri;
    }

    static ServletTestServer start(Consumer<ServletContextHandler> setup) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        setup.accept(context);
        server.setHandler(context);
        server.start();
        return new ServletTestServer(server, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
    }

    URI uri(String pathAndQuery) {
        return uri.resolve(pathAndQuery);
    }

    int port() {
        return uri.getPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
