package dev.upstreamguard.jetty;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.net.URI;

/** A real Jetty server on 127.0.0.1 and an ephemeral port, with one handler; stopped by {@link #close()}. */
final class ProxyServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private ProxyServer(Handler handler) throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
    }

    static ProxyServer start(Handler handler) throws Exception {
        return new ProxyServer(handler);
    }

    int port() {
        return connector.getLocalPort();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
