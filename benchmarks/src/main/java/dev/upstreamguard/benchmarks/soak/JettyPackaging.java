package dev.upstreamguard.benchmarks.soak;

import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.PolicyBinder;
import dev.upstreamguard.jetty.Route;
import dev.upstreamguard.jetty.Timeouts;
import dev.upstreamguard.jetty.UpstreamGuardProxy;
import dev.upstreamguard.redis.LimitBackends;
import dev.upstreamguard.testkit.Scenarios;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.Server;

/** The jetty-module's guarded proxy, embedded: {@code /fault} over upstreams A and B, {@code /refused} to a refusing port. */
final class JettyPackaging implements Packaging {
    /** The test kit's timing contract: connect 500 ms, a 1 s deadline for the head. */
    static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(2), Scenarios.RECOMMENDED_CONNECT_TIMEOUT,
            Duration.ofSeconds(2), Scenarios.RECOMMENDED_RESPONSE_TIMEOUT, Duration.ofSeconds(3), Duration.ZERO);

    private final Server server;
    private final UpstreamGuard guard;

    JettyPackaging(SoakUpstreams upstreams, String redisUri, GuardListener listener) throws Exception {
        GuardPolicy policy = PolicyBinder.bind(SoakPolicy.limits(redisUri));
        guard = UpstreamGuard.builder().policy(policy)
                .bucketBackend(LimitBackends.forPolicy(policy.limitsBackend()))
                .addListener(listener).logFailures(false).build();
        UpstreamGuardProxy.Builder builder = UpstreamGuardProxy.builder().timeouts(TIMEOUTS).guard(guard)
                .route(Route.of("faults", "/fault", List.of(upstreams.a().baseUri(), upstreams.b().baseUri())))
                .route(Route.of("refused", "/refused", List.of(upstreams.refusedBase())));
        server = Packaging.startOnLoopback(builder.build());
    }

    @Override
    public String name() {
        return "jetty";
    }

    @Override
    public URI base() {
        return Packaging.baseOf(server);
    }

    @Override
    public void close() throws Exception {
        server.stop();
        guard.bucketBackend().close();
    }
}
