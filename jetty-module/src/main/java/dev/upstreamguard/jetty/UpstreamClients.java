package dev.upstreamguard.jetty;

import dev.upstreamguard.core.UpstreamGuard;
import dev.upstreamguard.core.validate.ValidationPolicy;
import org.eclipse.jetty.client.HttpClient;

/**
 * Settings of the Jetty {@link HttpClient} that talks to upstreams, derived from the proxy's
 * configuration and the guard's policy: strict parsing, a head-size cap consistent with the policy,
 * per-phase timeouts, pool limits, no second {@code User-Agent}.
 */
final class UpstreamClients {

    private UpstreamClients() {
    }

    static void configure(HttpClient client, ProxyConfig config, UpstreamGuard guard) {
        ValidationPolicy validation = guard.policy().validation();
        client.setHttpCompliance(ClientCompliance.forPolicy(validation));
        client.setMaxResponseHeadersSize(ClientCompliance.maxResponseHeadersSize(validation));
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
    }
}
