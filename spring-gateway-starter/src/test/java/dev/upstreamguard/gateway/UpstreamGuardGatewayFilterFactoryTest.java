package dev.upstreamguard.gateway;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.spring.UpstreamGuardFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The route filter's arguments, bound by the core on top of the global policy. */
class UpstreamGuardGatewayFilterFactoryTest {

    private final UpstreamGuard global = UpstreamGuard.builder()
            .policy(GuardPolicy.builder().memberName("edge").build()).build();
    private final UpstreamGuard[] built = new UpstreamGuard[1];
    private final UpstreamGuardGatewayFilterFactory factory = new UpstreamGuardGatewayFilterFactory(global,
            new UpstreamGuardFactory(List.of(), List.of()) {
                @Override
                public UpstreamGuard derive(UpstreamGuard base, GuardPolicy routePolicy) {
                    built[0] = super.derive(base, routePolicy);
                    return built[0];
                }
            });

    @Test
    void aRouteChangesOnlyWhatItNamesAndSharesTheBuckets() {
        factory.apply(new UpstreamGuardGatewayFilterFactory.Config().setStatuses("connection_timeout=502")
                .setPolicy(Map.of("retry.max-attempts", "1")));

        GuardPolicy route = built[0].policy();
        assertThat(route.retry().maxAttempts()).isEqualTo(1);
        assertThat(route.statusFor(dev.upstreamguard.core.ErrorType.CONNECTION_TIMEOUT)).isEqualTo(502);
        assertThat(route.memberName()).as("kept from the global policy").isEqualTo("edge");
        assertThat(built[0].bucketBackend()).isSameAs(global.bucketBackend());
    }

    @Test
    void noArgumentsKeepTheGlobalGuard() {
        factory.apply(new UpstreamGuardGatewayFilterFactory.Config());

        assertThat(built[0]).isNull();
    }

    @Test
    void aBadArgumentFailsNamingTheKey() {
        assertThatThrownBy(() -> factory.apply(new UpstreamGuardGatewayFilterFactory.Config()
                .setPolicy(Map.of("retry.max-attempts", "0"))))
                .hasMessageContaining("UpstreamGuard filter").hasMessageContaining("retry.max-attempts");
        assertThatThrownBy(() -> factory.apply(new UpstreamGuardGatewayFilterFactory.Config().setExposure("everyone")))
                .hasMessageContaining("exposure.mode").hasMessageContaining("never, trusted, always");
        assertThatThrownBy(() -> factory.apply(new UpstreamGuardGatewayFilterFactory.Config().setRateLimit("100")))
                .hasMessageContaining("rate-limit");
    }

    @Test
    void theRateLimitShortcutIsPerAddressWithABurstOfItsOwnLimitOverAHeaderKeyedGlobalPolicy() {
        UpstreamGuard headerKeyed = UpstreamGuard.builder().policy(dev.upstreamguard.core.policy.PolicyBinder.bind(Map.of(
                "rate-limit.enabled", "true", "rate-limit.limit", "100", "rate-limit.burst", "1000",
                "rate-limit.key", "header", "rate-limit.key-header", "X-Client"), "", key -> false)).build();
        UpstreamGuard[] route = new UpstreamGuard[1];
        new UpstreamGuardGatewayFilterFactory(headerKeyed, new UpstreamGuardFactory(List.of(), List.of()) {
            @Override
            public UpstreamGuard derive(UpstreamGuard base, GuardPolicy routePolicy) {
                route[0] = super.derive(base, routePolicy);
                return route[0];
            }
        }).apply(new UpstreamGuardGatewayFilterFactory.Config().setRateLimit("10/1s"));

        dev.upstreamguard.core.policy.RateLimitPolicy rate = route[0].policy().rateLimit();
        assertThat(rate.limit()).isEqualTo(10);
        assertThat(rate.burst()).as("10 per second means a burst of 10, not the global 1000").isEqualTo(10);
        assertThat(rate.window()).isEqualTo(java.time.Duration.ofSeconds(1));
        assertThat(rate.keySource()).isEqualTo(dev.upstreamguard.core.policy.ClientKeySource.ADDRESS);
        assertThat(rate.keyHeader()).isNull();
    }
}
