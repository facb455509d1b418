package dev.upstreamguard.jetty;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.ValidationPolicy;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Settings of the Jetty {@link HttpClient} that talks to upstreams, derived from the proxy's
 * configuration and the guard's policy: strict parsing, a head-size cap consistent with the policy,
 * per-phase timeouts, pool limits, no second {@code User-Agent}, the upstream TLS settings, and response
 * buffers that go back to the buffer pool only a while after their release ({@link DeferredRecyclingPool}).
 */
final class UpstreamClients {

    private UpstreamClients() {
    }

    static void configure(HttpClient client, ProxyConfig config, UpstreamGuard guard) {
        ValidationPolicy validation = guard.policy().validation();
        // routes may not override the parser's leniency, only the size limits: the client cuts at the largest
        client.setHttpCompliance(ClientCompliance.forPolicy(validation));
        int maxHeadersSize = ClientCompliance.maxResponseHeadersSize(validation);
        for (Route route : config.routes()) {
            if (route.policy() != null) {
                maxHeadersSize = Math.max(maxHeadersSize, ClientCompliance.maxResponseHeadersSize(route.policy().validation()));
            }
        }
        client.setMaxResponseHeadersSize(maxHeadersSize);
        // the client's own User-Agent would be sent beside the one copied from the client request
        client.setUserAgentField(null);
        Timeouts timeouts = config.timeouts();
        client.setConnectTimeout(timeouts.connect().toMillis());
        client.setIdleTimeout(timeouts.idle().toMillis());
        client.setAddressResolutionTimeout(timeouts.resolve().toMillis());
        client.setSocketAddressResolver(new PhaseClassifyingResolver(client, guard, timeouts.resolve().toMillis()));
        client.setMaxConnectionsPerDestination(config.maxConnectionsPerUpstream());
        client.setMaxRequestsQueuedPerDestination(config.maxQueuedPerUpstream());
        client.addBean(new TlsHandshakeDeadline(client, timeouts.tlsHandshake().toMillis()));
        SslContextFactory.Client tls = client.getSslContextFactory();
        if (tls == null) { // the client connector makes a default one when it starts: ours instead
            tls = new SslContextFactory.Client();
            client.setSslContextFactory(tls);
        }
        config.tls().applyTo(tls);
        ByteBufferPool pool = client.getByteBufferPool();
        if (!(pool instanceof DeferredRecyclingPool)) {
            // the client's own default when none was set: buckets of 2 KiB steps up to 64 KiB
            client.setByteBufferPool(new DeferredRecyclingPool(pool != null ? pool : new ArrayByteBufferPool(0, 2048, 65536),
                    client::getResponseBufferSize));
        }
    }
}
