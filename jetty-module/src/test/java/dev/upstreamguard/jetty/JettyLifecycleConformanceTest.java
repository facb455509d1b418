package dev.upstreamguard.jetty;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.PolicyBinder;
import dev.upstreamguard.testkit.lifecycle.Capability;
import dev.upstreamguard.testkit.lifecycle.LifecycleConformance;
import dev.upstreamguard.testkit.lifecycle.LifecycleHarness;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;


import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The test kit's lifecycle conformance suite through the guarded Jetty proxy: a real Jetty server on
 * loopback with one route {@code /} to the sequence's upstreams; the response timeout is the response-head
 * deadline ({@link Timeouts#responseHead()}), everything else as in the conformance list's run.
 */
class JettyLifecycleConformanceTest extends LifecycleConformance {

    @Override
    protected LifecycleHarness newHarness() {
        return new JettyHarness();
    }

    @Test
    @Disabled("documented deviation (jetty-module README): while a request is handled asynchronously Jetty 12 does"
            + " not read its idle HTTP/1.1 connection, so a client that closes (FIN or RST) during a retry backoff is"
            + " noticed only when the answer is written, and the next attempt is still sent; the handler cancels it"
            + " when Jetty reports the request failed (Request.addFailureListener, e.g. an HTTP/2 stream reset)")
    @Override
    protected void aClientGoneDuringTheBackoffCancelsTheNextAttempt() throws Exception {
        super.aClientGoneDuringTheBackoffCancelsTheNextAttempt();
    }

    /** One {@link GuardedProxyHandler} in a {@link ProxyServer}. */
    static final class JettyHarness implements LifecycleHarness {
        private ProxyServer proxy;

        @Override
        public String name() {
            return "jetty-module";
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.allOf(Capability.class);
        }

        @Override
        public void start(Map<String, String> properties, Duration responseTimeout, List<URI> upstreams) throws Exception {
            stop();
            Map<String, String> prefixed = new HashMap<>();
            properties.forEach((k, v) -> prefixed.put("upstream-guard." + k, v));
            UpstreamGuard guard = UpstreamGuard.builder()
                    .policy(PolicyBinder.bind(prefixed, "upstream-guard.", k -> false)).build();
            proxy = ProxyServer.start(UpstreamGuardProxy.builder()
                    .timeouts(ConformanceRun.TIMEOUTS.withResponseHead(responseTimeout)).guard(guard)
                    .route(Route.of("r", "/", upstreams)).build());
        }

        @Override
        public URI uri(String path) {
            return proxy.uri(path);
        }

        @Override
        public void stop() throws Exception {
            if (proxy != null) {
                proxy.close();
                proxy = null;
            }
        }
    }
}
