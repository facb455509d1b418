package dev.upstreamguard.benchmarks.soak;

import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.limits.InMemoryBucketBackend;
import dev.upstreamguard.servlet.UpstreamGuardFilter;
import dev.upstreamguard.testkit.Scenarios;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Server;

/**
 * A servlet application on embedded Jetty behind {@link UpstreamGuardFilter} (in-memory rate limit): the
 * application itself calls the upstream ({@link SoakServlet}), on A or B as the load generator says, so there
 * is no rotation and no retry; measured are the filter's answers for the application's upstream failures, the
 * deliveries of the application's own client, admission and the process figures.
 */
final class ServletPackaging implements Packaging {
    private final Server server;
    private final AtomicReference<BucketBackend> backend = new AtomicReference<>();

    ServletPackaging(SoakUpstreams upstreams) throws Exception {
        ServletContextHandler context = new ServletContextHandler("/");
        FilterHolder filter = new FilterHolder(UpstreamGuardFilter.class);
        filter.setInitParameter(UpstreamGuardFilter.ROUTE_ID, "soak");
        SoakPolicy.limits(null).forEach(filter::setInitParameter);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        HttpClient client = new HttpClient(); // started and stopped with the server, as its bean
        client.setConnectTimeout(Scenarios.RECOMMENDED_CONNECT_TIMEOUT.toMillis());
        client.setFollowRedirects(false);
        // Jetty 12.1's HTTP/1.1 receiver can clear a network buffer after releasing it when the body fails
        // (HttpReceiverOverHTTP); with buffers that are never pooled, no other connection can be handed one
        client.setByteBufferPool(new ByteBufferPool.NonPooling());
        context.addServlet(new ServletHolder(new SoakServlet(upstreams, backend, client)), "/call/*");
        context.addBean(client);
        server = Packaging.startOnLoopback(context);
    }

    @Override
    public String name() {
        return "servlet";
    }

    @Override
    public URI base() {
        return Packaging.baseOf(server);
    }

    @Override
    public String pathOf(Case c, long id, boolean upstreamB) {
        return "/call" + c.proxyPath() + "?soak=" + id + "&up=" + (upstreamB ? "b" : "a");
    }

    @Override
    public boolean clientChoosesUpstream() {
        return true;
    }

    @Override
    public boolean redisBacked() {
        return false;
    }

    @Override
    public int limiterKeys() {
        return backend.get() instanceof InMemoryBucketBackend memory ? memory.size() : -1;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
