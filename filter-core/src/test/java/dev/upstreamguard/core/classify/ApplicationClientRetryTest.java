package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.limits.InMemoryBucketBackend;
import dev.upstreamguard.core.policy.RetryCondition;
import dev.upstreamguard.core.policy.RetryPolicy;
import dev.upstreamguard.core.retry.AttemptContext;
import dev.upstreamguard.core.retry.Retrier;
import dev.upstreamguard.core.retry.RetryBudget;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpServerErrorException;

import java.util.EnumSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry rules read the verdicts of the application's client libraries right: a resilience4j refusal
 * never left (resent for any method, even when the packaging could not observe delivery); an upstream 5xx
 * raised by Spring's clients was received, and a protocol-level verdict is not resent.
 */
class ApplicationClientRetryTest {

    private static final RetryPolicy POLICY = RetryPolicy.defaults()
            .withBudget(1.0, RetryPolicy.MAX_BUDGET_MIN_PER_SECOND);

    static Stream<Throwable> refusals() {
        return Stream.of(new CallNotPermittedException("CircuitBreaker 'orders' is OPEN"),
                new BulkheadFullException("Bulkhead 'orders' is full"),
                new RequestNotPermitted("RateLimiter 'orders' does not permit further calls"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aRefusalOfTheApplicationsOwnGuardIsResentForAnyMethod(Throwable refusal) {
        UpstreamFailure verdict = FailureClassifiers.defaults().classify(refusal, Phase.UNKNOWN);
        AttemptContext postNotReplayable = new AttemptContext("POST", false, false, 1, 0L);

        assertThat(retrier(POLICY).afterFailure(postNotReplayable, verdict, null).toCompletableFuture().join().retry())
                .as("never connected, under the default retry.conditions").isTrue();
    }

    @Test
    void anUpstream5xxRaisedByTheClientIsNotResent() {
        UpstreamFailure verdict = FailureClassifiers.defaults()
                .classify(HttpServerErrorException.create(HttpStatus.SERVICE_UNAVAILABLE), Phase.UNKNOWN);
        RetryPolicy everyCondition = POLICY.withRetryOn(EnumSet.allOf(RetryCondition.class));
        AttemptContext get = new AttemptContext("GET", true, false, 1, 0L);

        assertThat(retrier(everyCondition).afterFailure(get, verdict, null).toCompletableFuture().join().retry())
                .isFalse();
    }

    private static Retrier retrier(RetryPolicy policy) {
        return new Retrier("route-a", policy, new RetryBudget("route-a", policy, new InMemoryBucketBackend()),
                () -> 0L, () -> 0.5, new GuardListener() { });
    }
}
