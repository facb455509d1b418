package dev.upstreamguard.core.retry;

import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.BucketShape;
import dev.upstreamguard.core.Consumption;
import dev.upstreamguard.core.limits.InMemoryBucketBackend;
import dev.upstreamguard.core.policy.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTest {
    private final FakeNanoClock clock = new FakeNanoClock();
    private final InMemoryBucketBackend backend = new InMemoryBucketBackend(clock, 1000);

    private RetryBudget budget(double ratio, int floor) {
        return new RetryBudget("route-a", RetryPolicy.defaults().withBudget(ratio, floor), backend);
    }

    private static boolean take(RetryBudget budget) {
        return budget.tryAcquireRetry().toCompletableFuture().getNow(null);
    }

    private static int drain(RetryBudget budget) {
        int n = 0;
        while (take(budget)) {
            n++;
        }
        return n;
    }

    @Test
    void theShapeHoldsOneSecondOfTheFloorAndTheDepositsOfOneHundredRequests() {
        assertThat(RetryBudget.shapeFor(RetryPolicy.defaults()))
                .isEqualTo(new BucketShape("retry_budget", 30_000, 10_000, Duration.ofSeconds(1)));
        BucketShape noFloor = RetryBudget.shapeFor(RetryPolicy.defaults().withBudget(0.2, 0));
        assertThat(noFloor.capacity()).isEqualTo(21_000);
        assertThat(noFloor.refillTokens()).isEqualTo(1);
        assertThat(noFloor.refillPeriod()).isEqualTo(Duration.ofDays(1));
        assertThat(RetryBudget.shapeFor(RetryPolicy.defaults().withBudget(0.0, 0)).capacity()).isEqualTo(1000);
    }

    @Test
    void aNewRouteStartsWithItsWholeAllowance() {
        assertThat(drain(budget(0.2, 10))).isEqualTo(30);
        assertThat(drain(new RetryBudget("route-b", RetryPolicy.defaults().withBudget(0.2, 0), backend))).isEqualTo(21);
    }

    @Test
    void withAFloorOfZeroOneRetryInFiveRequestsIsAllowed() {
        RetryBudget budget = budget(0.2, 0);
        drain(budget);
        int granted = 0;
        for (int i = 0; i < 100; i++) {
            budget.onRequest();
            if (take(budget)) {
                granted++;
            }
        }
        assertThat(granted).isEqualTo(20);
        assertThat(take(budget)).isFalse();
    }

    @Test
    void requestsInFlightTogetherEarnTheirRetriesBeforeTheyFailTogether() {
        RetryBudget budget = budget(0.2, 0);
        drain(budget);
        for (int i = 0; i < 100; i++) {
            budget.onRequest();
        }
        assertThat(drain(budget)).isEqualTo(20);
    }

    @Test
    void savingsAreCappedAtOneSecondOfTheFloorAndOneHundredRequests() {
        RetryBudget budget = budget(0.2, 10);
        drain(budget);
        for (int i = 0; i < 1000; i++) {
            budget.onRequest();
        }
        assertThat(drain(budget)).as("not the 200 that 1000 requests deposited").isEqualTo(30);
        clock.advance(Duration.ofMinutes(1));
        assertThat(drain(budget)).as("not a minute of the floor").isEqualTo(30);
    }

    @Test
    void theFloorAllowsRetriesWithoutTrafficAndRefillsOnTheInjectedClock() {
        RetryBudget budget = budget(0.2, 5);
        assertThat(drain(budget)).isEqualTo(5 + 20);
        clock.advance(Duration.ofMillis(199));
        assertThat(take(budget)).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(take(budget)).isTrue();
        assertThat(take(budget)).isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(drain(budget)).as("an idle route refills to its capacity, no more").isEqualTo(25);

        int perSecond = 0;
        for (int s = 0; s < 10; s++) {
            clock.advance(Duration.ofSeconds(1));
            perSecond += drain(budget);
        }
        assertThat(perSecond).isEqualTo(50);
    }

    @Test
    void twoBudgetsOfOneRouteOnOneBackendShareTheBucket() {
        RetryBudget first = budget(0.2, 3);
        RetryBudget second = new RetryBudget("route-a", RetryPolicy.defaults().withBudget(0.2, 3), backend);
        RetryBudget otherRoute = new RetryBudget("route-b", RetryPolicy.defaults().withBudget(0.2, 3), backend);
        assertThat(drain(first)).isEqualTo(23);
        assertThat(take(second)).isFalse();
        assertThat(take(otherRoute)).isTrue();
    }

    /**
     * Property: over random traffic, retries granted never exceed the documented bound
     * {@code ratio × (requests + 100) + floor × (seconds + 1)}, plus one with a floor of 0.
     */
    @Test
    void retriesNeverExceedTheRatioOfRequestsPlusTheFloor() {
        Random rnd = new Random(42L);
        for (int scenario = 0; scenario < 40; scenario++) {
            double ratio = Math.round(rnd.nextDouble() * 1000) / 1000.0;
            int floor = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(50);
            FakeNanoClock time = new FakeNanoClock();
            RetryBudget budget = new RetryBudget("r" + scenario, RetryPolicy.defaults().withBudget(ratio, floor),
                    new InMemoryBucketBackend(time, 10));
            long requests = 0;
            long granted = 0;
            long elapsedNanos = 0;
            for (int step = 0; step < 2_500; step++) {
                int what = rnd.nextInt(10);
                if (what < 5) {
                    budget.onRequest();
                    requests++;
                } else if (what < 9) {
                    granted += take(budget) ? 1 : 0;
                } else {
                    long d = (long) (rnd.nextDouble() * 50_000_000L);
                    time.advance(Duration.ofNanos(d));
                    elapsedNanos += d;
                }
            }
            double bound = ratio * (requests + 100) + floor * (elapsedNanos / 1e9 + 1) + (floor == 0 ? 1 : 0) + 1e-6;
            assertThat((double) granted).as("ratio=%s floor=%s requests=%s seconds=%s", ratio, floor, requests,
                    elapsedNanos / 1e9).isLessThanOrEqualTo(bound);
        }
    }

    @Test
    void depositsReachTheBackendOneRetryAtATime() {
        CountingBackend counting = new CountingBackend(backend);
        RetryBudget budget = new RetryBudget("route-a", RetryPolicy.defaults(), counting);
        for (int i = 0; i < 12; i++) {
            assertThat(budget.onRequest().toCompletableFuture()).isCompleted();
        }
        assertThat(counting.added).containsExactly(1000L, 1000L);
    }

    @Test
    void aDisabledPolicyOrARatioOfZeroNeverCallsTheBackendPerRequest() {
        CountingBackend counting = new CountingBackend(backend);
        RetryBudget off = new RetryBudget("route-a", RetryPolicy.disabled(), counting);
        RetryBudget zero = new RetryBudget("route-b", RetryPolicy.defaults().withBudget(0.0, 10), counting);
        for (int i = 0; i < 50; i++) {
            off.onRequest();
            zero.onRequest();
        }
        assertThat(counting.added).isEmpty();
    }

    @Test
    void aFailingBackendDeniesRetriesAndNeverFailsTheCaller() {
        RetryBudget failedStages = new RetryBudget("route-a", RetryPolicy.defaults(), new BrokenBackend(false));
        RetryBudget throwing = new RetryBudget("route-a", RetryPolicy.defaults(), new BrokenBackend(true));
        for (RetryBudget budget : List.of(failedStages, throwing)) {
            for (int i = 0; i < 10; i++) {
                assertThat(budget.onRequest().toCompletableFuture()).isCompleted().isNotCompletedExceptionally();
            }
            assertThat(budget.tryAcquireRetry().toCompletableFuture()).isCompletedWithValue(false);
            assertThat(budget.acquire().toCompletableFuture()).isCompletedWithValue(RetryBudget.Grant.BACKEND_FAILED);
        }
    }

    @Test
    void aBlankRouteIsRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RetryBudget(" ", RetryPolicy.defaults(), backend))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("routeId");
    }

    /** Passes calls through and records the deposits. */
    static final class CountingBackend implements BucketBackend {
        final List<Long> added = new ArrayList<>();
        private final BucketBackend delegate;

        CountingBackend(BucketBackend delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletionStage<Consumption> tryConsume(String key, BucketShape shape, long tokens) {
            return delegate.tryConsume(key, shape, tokens);
        }

        @Override
        public CompletionStage<Void> addTokens(String key, BucketShape shape, long tokens) {
            added.add(tokens);
            return delegate.addTokens(key, shape, tokens);
        }

        @Override
        public String name() {
            return "counting";
        }
    }

    /** A shared backend that is down: failed stages, or exceptions thrown on the caller's thread. */
    static final class BrokenBackend implements BucketBackend {
        private final boolean throwing;

        BrokenBackend(boolean throwing) {
            this.throwing = throwing;
        }

        @Override
        public CompletionStage<Consumption> tryConsume(String key, BucketShape shape, long tokens) {
            return fail();
        }

        @Override
        public CompletionStage<Void> addTokens(String key, BucketShape shape, long tokens) {
            return fail();
        }

        private <T> CompletionStage<T> fail() {
            IllegalStateException down = new IllegalStateException("connection refused");
            if (throwing) {
                throw down;
            }
            return CompletableFuture.failedFuture(down);
        }

        @Override
        public String name() {
            return "broken";
        }
    }
}
