package dev.upstreamguard.gateway;

import dev.upstreamguard.micrometer.UpstreamGuardMetrics;
import dev.upstreamguard.testkit.Fault;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.upstreamguard.gateway.GatewayTestApp.UPSTREAM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's features beyond the scenario list, on the shared guarded gateway: the route filter, the
 * gateway's own timeout, pool exhaustion, metrics, the actuator endpoint and the health contributor.
 */
class GuardedGatewayFeaturesTest extends GuardedGatewayTest {

    @Autowired
    MeterRegistry meters;

    @Test
    void theRouteFilterOverridesDeadlineExposureStatusAndRetries() throws Exception {
        int before = UPSTREAM.requestCount(Fault.STALL);
        long start = System.nanoTime();
        Observed o = Observed.get(port(), "/override" + Fault.STALL.path());
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(o.status()).isEqualTo(503);
        assertThat(o.proxyStatus()).isEqualTo("upstream-guard;error=http_response_timeout");
        assertThat(o.retryAfter()).isEqualTo("1");
        assertThat(elapsedMillis).as("the route's 300 ms deadline, not the global 1 s").isLessThan(1000);
        assertThat(UPSTREAM.requestCount(Fault.STALL) - before).as("policy.retry.max-attempts=1: no retry").isEqualTo(1);
    }

    @Test
    void theRouteFilterLeavesOtherRoutesAlone() throws Exception {
        Observed o = Observed.get(port(), Fault.STALL.path());

        assertThat(o.status()).isEqualTo(504);
        assertThat(o.proxyStatus()).startsWith("upstream-guard;error=http_response_timeout;details=");
    }

    @Test
    void aRouteWithTheGatewaysOwnTimeoutKeepsIt() throws Exception {
        long start = System.nanoTime();
        Observed o = Observed.get(port(), "/gwtimeout" + Fault.STALL.path());
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(o.status()).isEqualTo(504);
        assertThat(o.proxyStatus()).startsWith("upstream-guard;error=http_response_timeout");
        assertThat(elapsedMillis).as("the route's 400 ms metadata timeout, twice, not the starter's 1 s").isLessThan(1500);
    }

    @Test
    void anExhaustedPoolIs503ConnectionLimitReachedWithRetryAfter() throws Exception {
        int before = UPSTREAM.requestCount(Fault.STALL);
        List<CompletableFuture<Observed>> holders = new ArrayList<>();
        for (int i = 0; i < POOL_SIZE; i++) {
            holders.add(CompletableFuture.supplyAsync(() -> get(Fault.STALL.path())));
        }
        UPSTREAM.awaitRequests(Fault.STALL, before + POOL_SIZE, Duration.ofSeconds(30)); // every connection is busy

        Observed o = Observed.get(port(), Fault.CONTROL_OK.path());

        assertThat(o.status()).isEqualTo(503);
        assertThat(o.proxyStatus()).startsWith("upstream-guard;error=connection_limit_reached");
        assertThat(o.retryAfter()).isNotNull();
        for (CompletableFuture<Observed> holder : holders) {
            assertThat(holder.get(60, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(504);
        }
    }

    @Test
    void aRateLimitedRouteAnswers429WithRetryAfterAndRateLimitFields() throws Exception {
        for (int i = 0; i < RATE_LIMIT; i++) {
            Observed allowed = Observed.get(port(), "/limited" + Fault.CONTROL_OK.path());
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.header("RateLimit")).isNotNull();
            assertThat(allowed.header("RateLimit-Policy")).isNotNull();
        }

        Observed refused = Observed.get(port(), "/limited" + Fault.CONTROL_OK.path());

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.proxyStatus()).startsWith("upstream-guard;error=http_request_error");
        assertThat(Long.parseLong(refused.retryAfter())).isBetween(1L, 60L);
        assertThat(refused.header("RateLimit")).isNotNull();
        assertThat(refused.bodyText()).contains("\"status\":429");
    }

    @Test
    void aConcurrencyLimitedRouteSheds503WithRetryAfter() throws Exception {
        int before = UPSTREAM.requestCount(Fault.STALL);
        CompletableFuture<Observed> holder = CompletableFuture.supplyAsync(() -> get("/single" + Fault.STALL.path()));
        UPSTREAM.awaitRequests(Fault.STALL, before + 1, Duration.ofSeconds(30)); // the pool test before may still hold connections to this upstream on a loaded machine

        Observed shed = Observed.get(port(), "/single" + Fault.CONTROL_OK.path());

        assertThat(shed.status()).isEqualTo(503);
        assertThat(shed.proxyStatus()).startsWith("upstream-guard;error=connection_limit_reached");
        assertThat(shed.retryAfter()).isNotNull();
        assertThat(holder.get(60, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(504);
        assertThat(Observed.get(port(), "/single" + Fault.CONTROL_OK.path()).status())
                .as("the slot is free again once the exchange ended").isEqualTo(200);
    }

    @Test
    void byDefaultAnUpstream502PassesThroughUnretried() throws Exception {
        int before = UPSTREAM.requestCount(Fault.UPSTREAM_502);

        Observed o = Observed.get(port(), Fault.UPSTREAM_502.path());

        assertThat(o.status()).isEqualTo(502);
        assertThat(UPSTREAM.requestCount(Fault.UPSTREAM_502) - before).as("attempts").isEqualTo(1);
    }

    @Test
    void anIdempotentRequestIsRetriedOnceOnARetryableStatusWhenTheRouteOptsIn() throws Exception {
        int before = UPSTREAM.requestCount(Fault.UPSTREAM_502);

        Observed o = Observed.get(port(), "/retry-status" + Fault.UPSTREAM_502.path());

        assertThat(o.status()).isEqualTo(502);
        assertThat(o.proxyStatus()).isEqualTo("upstream-guard;received-status=502;next-hop=\"127.0.0.1\"")
                .as("one member: the first attempt's is gone");
        assertThat(UPSTREAM.requestCount(Fault.UPSTREAM_502) - before).as("attempts").isEqualTo(2);
        assertThat(retries("scheduled")).isPositive();
    }

    @Test
    void aRequestWithABodyIsNotRetriedOnceItMayHaveReachedTheUpstream() throws Exception {
        int before = UPSTREAM.requestCount(Fault.UPSTREAM_502);
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port() + "/retry-status"
                                + Fault.UPSTREAM_502.path()))
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("payload")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(UPSTREAM.requestCount(Fault.UPSTREAM_502) - before).as("attempts").isEqualTo(1);
    }

    @Test
    void aRefusedConnectionIsRetriedAndStill502() throws Exception {
        double before = retries("scheduled");

        Observed o = Observed.get(port(), "/refused");

        assertThat(o.status()).isEqualTo(502);
        assertThat(o.proxyStatus()).startsWith("upstream-guard;error=connection_refused");
        assertThat(retries("scheduled")).isEqualTo(before + 1);
    }

    private double retries(String outcome) {
        return meters.find(UpstreamGuardMetrics.RETRIES).tags("outcome", outcome).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void failuresAreCountedThroughBootsMeterRegistry() throws Exception {
        double before = refusedCount();

        Observed.get(port(), "/refused");

        assertThat(refusedCount()).isEqualTo(before + 1);
    }

    @Test
    void theActuatorEndpointShowsRoutesHealthFailuresByTypeAndCountersAsJson() throws Exception {
        Observed.get(port(), "/refused");

        Observed report = Observed.get(port(), "/actuator/upstreamguard", "application/json");

        assertThat(report.status()).isEqualTo(200);
        assertThat(report.contentType()).startsWith("application/json");
        assertThat(report.bodyText()).contains("\"routes\"", "\"id\":\"refused\"", "\"id\":\"override\"",
                "\"failures_by_minute\"", "\"connection_refused\"", "\"recent_failures\"", "\"counters\"",
                "\"retries_denied_by_budget\"");
        assertThat(report.bodyText()).doesNotContain("ConnectException"); // no exception text, even for operators
    }

    @Test
    void theActuatorEndpointIsAnHtmlPageForABrowser() throws Exception {
        Observed.get(port(), "/refused");

        Observed page = Observed.get(port(), "/actuator/upstreamguard",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.bodyText()).startsWith("<!DOCTYPE html>").contains("data-error=\"connection_refused\"", "refused");
    }

    @Test
    void theHealthContributorIsUpWithFailuresByType() throws Exception {
        Observed.get(port(), "/refused");

        Observed health = Observed.get(port(), "/actuator/health/upstreamguard", "application/json");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.bodyText()).contains("\"status\":\"UP\"", "\"connection_refused\"");
    }

    private double refusedCount() {
        var counter = meters.find(UpstreamGuardMetrics.FAILURES).tags("error.type", "connection_refused", "route", "refused").counter();
        return counter == null ? 0 : counter.count();
    }

    private Observed get(String path) {
        try {
            return Observed.get(port(), path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
