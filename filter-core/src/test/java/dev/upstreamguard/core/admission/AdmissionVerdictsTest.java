package dev.upstreamguard.core.admission;

import dev.upstreamguard.core.ErrorResponse;
import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.limits.InMemoryBucketBackend;
import dev.upstreamguard.core.policy.ConcurrencyPolicy;
import dev.upstreamguard.core.policy.ExposurePolicy;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.RateLimitPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AdmissionVerdictsTest {
    private final FakeClock clock = new FakeClock();
    private final List<FailureEvent> failures = new ArrayList<>();
    private final UpstreamGuard guard = UpstreamGuard.builder().logFailures(false).nanoClock(clock)
            .policy(GuardPolicy.builder().exposure(ExposurePolicy.loopback()).build())
            .addListener(new GuardListener() {
                @Override
                public void onFailure(FailureEvent event) {
                    failures.add(event);
                }
            }).build();

    private Exchange exchange(String remoteAddress) {
        return Exchange.of("orders", remoteAddress, "application/problem+json", "req-1", clock.getAsLong());
    }

    @Test
    void aRateLimitedRequestIsA429WithProxyStatusAndTheRefillTime() {
        RateLimiter limiter = new RateLimiter("orders",
                RateLimitPolicy.perAddress("default", 1, Duration.ofSeconds(20)), new InMemoryBucketBackend(clock, 10));
        String key = limiter.key("203.0.113.9", name -> null);
        limiter.tryAcquire(key);
        clock.advance(Duration.ofMillis(5_500));
        RateLimitDecision refused = limiter.tryAcquire(key).toCompletableFuture().getNow(null);
        assertThat(refused.allowed()).isFalse();

        ErrorResponse r = guard.failureResponse(AdmissionVerdicts.rateLimited(), exchange("203.0.113.9"), refused.retryAfter());

        assertThat(r.status()).isEqualTo(429);
        assertThat(r.header("Proxy-Status")).isEqualTo("upstream-guard;error=http_request_error;status-code=429");
        assertThat(r.header("Retry-After")).isEqualTo("15"); // 14.5 s to the next token, rounded up
        assertThat(r.bodyText()).contains("\"status\":429", "\"error\":\"http_request_error\"")
                .doesNotContain("rate limit reached");
        assertThat(failures).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.failure().phase()).isEqualTo(Phase.ADMISSION);
        });
    }

    @Test
    void detailsAreShownOnlyToTrustedClients() {
        ErrorResponse r = guard.failureResponse(AdmissionVerdicts.rateLimited(), exchange("127.0.0.1"), Duration.ofSeconds(1));
        assertThat(r.header("Proxy-Status"))
                .isEqualTo("upstream-guard;error=http_request_error;status-code=429;details=\"client rate limit reached\"");
    }

    @Test
    void aConcurrencyRefusalIsA503WithTheComputedRetryAfter() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter("orders", ConcurrencyPolicy.ofMaxConcurrent(1), clock);
        ConcurrencyLimiter.Permit permit = limiter.tryAcquire();
        clock.advance(Duration.ofMillis(6_200));
        permit.close();
        limiter.tryAcquire();
        assertThat(limiter.tryAcquire()).isNull();

        ErrorResponse r = guard.failureResponse(AdmissionVerdicts.concurrencyLimited(), exchange("203.0.113.9"),
                limiter.retryAfter());

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("Proxy-Status")).isEqualTo("upstream-guard;error=connection_limit_reached");
        assertThat(r.header("Retry-After")).isEqualTo("7");
    }

    @Test
    void noHealthyUpstreamIsA503DestinationUnavailable() {
        ErrorResponse r = guard.failureResponse(AdmissionVerdicts.noHealthyUpstream(), exchange("203.0.113.9"),
                Duration.ofSeconds(12));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("Proxy-Status")).isEqualTo("upstream-guard;error=destination_unavailable");
        assertThat(r.header("Retry-After")).isEqualTo("12");
    }

    @Test
    void everyVerdictIsAnAdmissionFailureWithoutCause() {
        for (UpstreamFailure f : List.of(AdmissionVerdicts.rateLimited(), AdmissionVerdicts.concurrencyLimited(),
                AdmissionVerdicts.noHealthyUpstream())) {
            assertThat(f.phase()).isEqualTo(Phase.ADMISSION);
            assertThat(f.cause()).isNull();
        }
    }
}
