package dev.upstreamguard.gateway;

import dev.upstreamguard.core.UpstreamHealth;
import dev.upstreamguard.micrometer.UpstreamGuardMetrics;
import dev.upstreamguard.testkit.Fault;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;

import static dev.upstreamguard.gateway.GuardedGatewayTest.LB_UPSTREAM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passive health on load-balanced routes, through Spring Cloud LoadBalancer over SimpleDiscoveryClient
 * instances: {@code healthy-pair} has a refusing instance and a healthy one, {@code all-down} two refusing.
 */
class LoadBalancedHealthTest extends GuardedGatewayTest {

    @Autowired
    LoadBalancedPools pools;

    @Autowired
    MeterRegistry meters;

    @Test
    void aRefusingInstanceIsEjectedAndRequestsGoOnlyToTheHealthyOne() throws Exception {
        String path = "/lb" + Fault.CONTROL_OK.path();
        for (int i = 0; i < 10 && !ejected("healthy-pair"); i++) {
            assertThat(Observed.get(port(), path).status()).as("a refused attempt is retried on the other instance")
                    .isEqualTo(200);
        }
        assertThat(ejected("healthy-pair")).as("the refusing instance is out after " + EJECT_AFTER + " failures").isTrue();
        double retriesBefore = retries("lb-pair");
        int before = LB_UPSTREAM.requestCount(Fault.CONTROL_OK);

        for (int i = 0; i < 4; i++) {
            assertThat(Observed.get(port(), path).status()).isEqualTo(200);
        }

        assertThat(LB_UPSTREAM.requestCount(Fault.CONTROL_OK) - before).isEqualTo(4);
        assertThat(retries("lb-pair")).as("no attempt went to the ejected instance").isEqualTo(retriesBefore);
        assertThat(meters.find(UpstreamGuardMetrics.HEALTH_CHANGES).tags("kind", "ejected", "route", "healthy-pair")
                .counters()).isNotEmpty();
        assertThat(meters.get(UpstreamGuardMetrics.UPSTREAMS).tags("route", "healthy-pair").gauge().value())
                .as("the service's pool has gauges, tagged with the service id").isEqualTo(2);
        assertThat(meters.get(UpstreamGuardMetrics.UPSTREAMS_EJECTED).tags("route", "healthy-pair").gauge().value())
                .isEqualTo(1);
        assertThat(meters.find(UpstreamGuardMetrics.UPSTREAM_EJECTED).tags("route", "healthy-pair").gauges())
                .extracting(g -> g.value()).containsExactlyInAnyOrder(0.0, 1.0);
        String status = Observed.get(port(), "/actuator/upstreamguard", "application/json").bodyText();
        assertThat(status).as("the status page shows the instances' health").contains("\"id\":\"lb-pair\"",
                "\"state\":\"ejected\"", "\"state\":\"healthy\"");
    }

    /** Passive health moves traffic between instances; with every instance failing it never answers for them. */
    @Test
    void instancesThatAllRefuseAreNeverTurnedIntoA503ByPassiveHealth() throws Exception {
        String path = "/lb-down" + Fault.CONTROL_OK.path();
        for (int i = 0; i < 12; i++) {
            Observed refused = Observed.get(port(), path);
            assertThat(refused.status()).isEqualTo(502);
            assertThat(refused.proxyStatus()).startsWith("upstream-guard;error=connection_refused");
        }
        assertThat(pools.health("all-down")).as("at most half of the instances are out at once")
                .filteredOn(UpstreamHealth::ejected).hasSizeLessThanOrEqualTo(1);
        assertThat(meters.find(UpstreamGuardMetrics.ADMISSION_REJECTIONS).tags("kind", "no_healthy_upstream",
                "route", "lb-down").counter()).isNull();
    }

    /** The route's {@code policy.health.consecutive-failures=1} judges the instances it load-balances to. */
    @Test
    void aRoutesOwnHealthPolicyEjectsAfterItsOwnCountOfFailures() throws Exception {
        String path = "/lb-strict" + Fault.CONTROL_OK.path();
        for (int i = 0; i < 10 && retries("lb-strict") == 0; i++) { // round robin: until an attempt met the refusing one
            assertThat(Observed.get(port(), path).status()).isEqualTo(200);
        }
        double retried = retries("lb-strict");
        assertThat(retried).as("a refused attempt, retried on the other instance").isPositive();
        assertThat(ejected("strict-pair")).as("out after the route's 1 failure, not the global " + EJECT_AFTER).isTrue();
        assertThat(pools.health("strict-pair")).filteredOn(UpstreamHealth::ejected).hasSize(1)
                .allSatisfy(h -> assertThat(h.upstream().uri().getPort()).isEqualTo(LB_UPSTREAM.refusedUri().getPort()));
        int before = LB_UPSTREAM.requestCount(Fault.CONTROL_OK);

        for (int i = 0; i < 4; i++) {
            assertThat(Observed.get(port(), path).status()).isEqualTo(200);
        }

        assertThat(LB_UPSTREAM.requestCount(Fault.CONTROL_OK) - before).isEqualTo(4);
        assertThat(retries("lb-strict")).as("the listing the load balancer chose from left the instance out").isEqualTo(retried);
    }

    private boolean ejected(String service) {
        List<UpstreamHealth> health = pools.health(service);
        return health != null && health.stream().anyMatch(UpstreamHealth::ejected);
    }


    private double retries(String route) {
        return meters.find(UpstreamGuardMetrics.RETRIES).tags("route", route).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
