package dev.upstreamguard.benchmarks.soak;

import java.net.InetSocketAddress;
import java.net.URI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** One packaging under soak, started in this JVM on a loopback port. */
interface Packaging extends AutoCloseable {

    /** {@code jetty}, {@code gateway} or {@code servlet}. */
    String name();

    /** Where the load generator sends requests. */
    URI base();

    /**
     * The path and query of a request of {@code c} with this id; {@code upstreamB} chooses the flapping upstream
     * where the packaging does not choose itself (the servlet application).
     */
    default String pathOf(Case c, long id, boolean upstreamB) {
        return c.proxyPath() + "?soak=" + id;
    }

    /** Whether requests go to upstream A or B by the load generator's choice (no rotation, no retries). */
    default boolean clientChoosesUpstream() {
        return false;
    }

    /** Whether the rate limit is Redis-backed (Redis is then killed and restarted mid-run). */
    default boolean redisBacked() {
        return true;
    }

    /** The in-memory limiter's key map size, or -1 when not reachable. */
    default int limiterKeys() {
        return -1;
    }

    @Override
    void close() throws Exception;

    /** Starts a Jetty server with {@code handler} on 127.0.0.1 and an ephemeral port. */
    static Server startOnLoopback(Handler handler) throws Exception {
        Server server = new Server(new InetSocketAddress("127.0.0.1", 0)); // a literal: no name lookup
        server.setHandler(handler);
        server.start();
        return server;
    }

    /** {@code http://127.0.0.1:<port>} of a server started by {@link #startOnLoopback}. */
    static URI baseOf(Server server) {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }
}
