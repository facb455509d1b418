package dev.upstreamguard.jetty;

import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailureException;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * Jetty's asynchronous resolver with its own timeout, whose failures are classified where they happen:
 * a lookup that times out fails with a bare {@code TimeoutException} that, seen later by the request,
 * would read as a response timeout. Here it becomes {@code dns_timeout} (and an unknown host
 * {@code dns_error}), carried by an {@link UpstreamFailureException}.
 */
final class PhaseClassifyingResolver implements SocketAddressResolver {
    private final HttpClient client;
    private final UpstreamGuard guard;
    private final long timeoutMillis;
    private volatile SocketAddressResolver delegate;

    PhaseClassifyingResolver(HttpClient client, UpstreamGuard guard, long timeoutMillis) {
        this.client = client;
        this.guard = guard;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        delegate().resolve(host, port, context, new Promise<>() {
            @Override
            public void succeeded(List<InetSocketAddress> result) {
                promise.succeeded(result);
            }

            @Override
            public void failed(Throwable failure) {
                promise.failed(new UpstreamFailureException(guard.classify(failure, Phase.RESOLVE)));
            }
        });
    }

    /** Created on first use: the client's executor and scheduler exist only once it has started. */
    private SocketAddressResolver delegate() {
        SocketAddressResolver resolver = delegate;
        if (resolver == null) {
            synchronized (this) {
                if (delegate == null) {
                    delegate = new SocketAddressResolver.Async(client.getExecutor(), client.getScheduler(), timeoutMillis);
                }
                resolver = delegate;
            }
        }
        return resolver;
    }
}
