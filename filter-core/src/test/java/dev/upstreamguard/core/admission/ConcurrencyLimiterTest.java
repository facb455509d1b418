package dev.upstreamguard.core.admission;

import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.policy.ConcurrencyPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConcurrencyLimiterTest {
    private final FakeClock clock = new FakeClock();
    private final AdmissionEventRecorder recorder = new AdmissionEventRecorder();

    private ConcurrencyLimiter limiter(int max) {
        return new ConcurrencyLimiter("orders", ConcurrencyPolicy.ofMaxConcurrent(max), clock, recorder);
    }

    private void advance(Duration d) {
        clock.advance(d);
    }

    /** Holds one permit for {@code d} on the fake clock. */
    private void holdFor(ConcurrencyLimiter limiter, Duration d) {
        ConcurrencyLimiter.Permit permit = limiter.tryAcquire();
        assertThat(permit).isNotNull();
        advance(d);
        permit.close();
    }

    @Test
    void grantsExactlyTheLimitAndRefusesTheNextUntilASlotIsFreed() {
        ConcurrencyLimiter limiter = limiter(3);
        List<ConcurrencyLimiter.Permit> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(limiter.tryAcquire());
        }
        assertThat(held).doesNotContainNull();
        assertThat(limiter.inFlight()).isEqualTo(3);
        assertThat(limiter.limit()).isEqualTo(3);

        assertThat(limiter.tryAcquire()).isNull();
        assertThat(limiter.inFlight()).isEqualTo(3);

        held.get(1).close();
        assertThat(limiter.inFlight()).isEqualTo(2);
        assertThat(limiter.tryAcquire()).isNotNull();
        assertThat(limiter.tryAcquire()).isNull();
    }

    @Test
    void closingAPermitTwiceFreesOneSlotOnly() {
        ConcurrencyLimiter limiter = limiter(2);
        ConcurrencyLimiter.Permit first = limiter.tryAcquire();
        ConcurrencyLimiter.Permit second = limiter.tryAcquire();
        first.close();
        first.close();
        assertThat(limiter.inFlight()).isEqualTo(1);
        assertThat(limiter.tryAcquire()).isNotNull();
        assertThat(limiter.tryAcquire()).isNull();
        second.close();
        assertThat(limiter.inFlight()).isEqualTo(1);
    }

    @Test
    void anUnlimitedRouteNeverRefusesAndCountsNothing() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter("orders", ConcurrencyPolicy.defaults(), clock);
        ConcurrencyLimiter.Permit a = limiter.tryAcquire();
        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.tryAcquire()).isSameAs(a);
        }
        a.close();
        assertThat(limiter.inFlight()).isZero();
        assertThat(limiter.limit()).isZero();
    }

    @Test
    void retryAfterIsTheMinimumBeforeAnyRequestCompleted() {
        ConcurrencyLimiter limiter = limiter(1);
        limiter.tryAcquire();
        assertThat(limiter.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retryAfterFollowsTheMovingAverageOfHoldTimes() {
        ConcurrencyLimiter limiter = limiter(2);
        holdFor(limiter, Duration.ofSeconds(4));
        assertThat(limiter.retryAfter()).isEqualTo(Duration.ofSeconds(4));

        holdFor(limiter, Duration.ofSeconds(12)); // 4 + (12 - 4) / 8
        assertThat(limiter.retryAfter()).isEqualTo(Duration.ofSeconds(5));

        for (int i = 0; i < 40; i++) {
            holdFor(limiter, Duration.ofSeconds(12));
        }
        assertThat(limiter.retryAfter()).isBetween(Duration.ofSeconds(11), Duration.ofSeconds(12));
    }

    @Test
    void retryAfterStaysWithinTheBounds() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter("orders",
                new ConcurrencyPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(10)), clock);
        for (int i = 0; i < 20; i++) {
            holdFor(limiter, Duration.ofMillis(5));
        }
        assertThat(limiter.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        for (int i = 0; i < 60; i++) {
            holdFor(limiter, Duration.ofMinutes(5));
        }
        assertThat(limiter.retryAfter()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void retryAfterGrowsWhileNoSlotTurnsOver() {
        ConcurrencyLimiter limiter = limiter(2);
        holdFor(limiter, Duration.ofMillis(50));
        limiter.tryAcquire();
        limiter.tryAcquire();
        assertThat(limiter.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        advance(Duration.ofSeconds(7)); // the upstream hangs: nothing frees
        assertThat(limiter.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        advance(Duration.ofMinutes(10));
        assertThat(limiter.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aRefusalIsReportedWithTheRetryAfterSent() {
        ConcurrencyLimiter limiter = limiter(1);
        holdFor(limiter, Duration.ofMillis(2_500));
        limiter.tryAcquire();
        assertThat(recorder.events).isEmpty();

        assertThat(limiter.tryAcquire()).isNull();
        assertThat(recorder.events).containsExactly(
                new AdmissionEvent("orders", AdmissionEvent.Kind.CONCURRENCY_LIMITED, 503, 3));
    }

    @Test
    void concurrentCallersNeverExceedTheLimit() throws Exception {
        int limit = 4;
        int threads = 8;
        int loops = 5_000;
        ConcurrencyLimiter limiter = new ConcurrencyLimiter("orders", ConcurrencyPolicy.ofMaxConcurrent(limit), clock);
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger mostHolders = new AtomicInteger();
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < loops; i++) {
                        ConcurrencyLimiter.Permit permit = limiter.tryAcquire();
                        if (permit == null) {
                            continue;
                        }
                        granted.incrementAndGet();
                        int h = holders.incrementAndGet();
                        mostHolders.accumulateAndGet(h, Math::max);
                        holders.decrementAndGet();
                        permit.close();
                        permit.close();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(mostHolders.get()).isBetween(1, limit);
        assertThat(granted.get()).isPositive();
        assertThat(limiter.inFlight()).isZero();
    }

    static Stream<Arguments> invalidPolicies() {
        Duration s1 = Duration.ofSeconds(1);
        return Stream.of(
                Arguments.of(-1, s1, s1, "maxConcurrent must be 0 (unlimited) or more, was -1"),
                Arguments.of(1, Duration.ofMillis(500), s1, "minRetryAfter must be between 1 s and 86400 s"),
                Arguments.of(1, Duration.ofSeconds(5), Duration.ofSeconds(4), "maxRetryAfter must be between 5 s and 86400 s"),
                Arguments.of(1, s1, Duration.ofDays(2), "maxRetryAfter must be between 1 s and 86400 s, was PT48H"));
    }

    @ParameterizedTest
    @MethodSource("invalidPolicies")
    void policiesAreValidatedNamingTheField(int max, Duration min, Duration maxRetry, String message) {
        assertThatThrownBy(() -> new ConcurrencyPolicy(max, min, maxRetry))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void defaultsAreUnlimitedWithRetryAfterFromOneToThirtySeconds() {
        ConcurrencyPolicy d = ConcurrencyPolicy.defaults();
        assertThat(d.maxConcurrent()).isZero();
        assertThat(d.limited()).isFalse();
        assertThat(d.minRetryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.maxRetryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> new ConcurrencyPolicy(1, null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class).hasMessage("minRetryAfter");
    }
}
