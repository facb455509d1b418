package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.CircuitEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.lifecycle.CircuitBreaker.Outcome;
import dev.upstreamguard.core.lifecycle.CircuitBreaker.Permit;
import dev.upstreamguard.core.lifecycle.CircuitBreaker.State;
import dev.upstreamguard.core.policy.CircuitBreakerPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The breaker's state machine on an injected clock. */
class CircuitBreakerTest {
    private final AtomicLong clock = new AtomicLong(7_000_000_000L);
    private final List<CircuitEvent> events = new CopyOnWriteArrayList<>();
    private final GuardListener listener = new GuardListener() {
        @Override
        public void onCircuitChange(CircuitEvent event) {
            events.add(event);
        }
    };

    private CircuitBreaker breaker(int threshold, Duration open, int probes) {
        return new CircuitBreaker("orders", new CircuitBreakerPolicy(true, threshold, open, probes), clock::get, listener);
    }

    private void fail(CircuitBreaker breaker, int requests) {
        for (int i = 0; i < requests; i++) {
            Permit p = breaker.admit();
            assertThat(p.admitted()).as("request %d admitted", i + 1).isTrue();
            breaker.onOutcome(p, Outcome.FAILURE);
        }
    }

    private List<CircuitEvent.Kind> kinds() {
        return events.stream().map(CircuitEvent::kind).toList();
    }

    @Test
    void fiveFailedRequestsInARowOpenItAndARequestWhileOpenIsRefusedWithTheTimeLeft() {
        CircuitBreaker breaker = breaker(5, Duration.ofSeconds(30), 1);
        fail(breaker, 4);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.consecutiveFailures()).isEqualTo(4);

        fail(breaker, 1);

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(events).containsExactly(new CircuitEvent("orders", CircuitEvent.Kind.OPENED, 5, 30_000));
        clock.addAndGet(Duration.ofMillis(10_500).toNanos());
        Permit refused = breaker.admit();
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.probe()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(19_500));
        assertThat(breaker.remainingOpen()).isEqualTo(Duration.ofMillis(19_500));
    }

    @Test
    void aSuccessEndsTheRunAndRequestsWithoutAVerdictDoNotCount() {
        CircuitBreaker breaker = breaker(3, Duration.ofSeconds(30), 1);
        fail(breaker, 2);
        Permit ok = breaker.admit();
        breaker.onOutcome(ok, Outcome.SUCCESS);
        fail(breaker, 2);
        Permit neutral = breaker.admit();
        breaker.onOutcome(neutral, Outcome.NONE);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.consecutiveFailures()).isEqualTo(2);
        fail(breaker, 1);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void afterTheOpenDurationOneProbeGoesThroughAndItsSuccessClosesTheCircuit() {
        CircuitBreaker breaker = breaker(5, Duration.ofSeconds(30), 1);
        fail(breaker, 5);
        clock.addAndGet(Duration.ofSeconds(30).toNanos() - 1);
        assertThat(breaker.admit().admitted()).as("1 ns before the end").isFalse();
        clock.addAndGet(1);

        Permit probe = breaker.admit();
        Permit other = breaker.admit();

        assertThat(probe.admitted()).isTrue();
        assertThat(probe.probe()).isTrue();
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(other.admitted()).as("only one probe").isFalse();
        assertThat(other.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        breaker.onOutcome(probe, Outcome.SUCCESS);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(kinds()).containsExactly(CircuitEvent.Kind.OPENED, CircuitEvent.Kind.HALF_OPEN, CircuitEvent.Kind.CLOSED);
        assertThat(breaker.admit().admitted()).isTrue();
        fail(breaker, 4);
        assertThat(breaker.state()).as("closed afresh: a whole run is needed again").isEqualTo(State.CLOSED);
    }

    @Test
    void aFailedProbeReopensForAnotherOpenDuration() {
        CircuitBreaker breaker = breaker(5, Duration.ofSeconds(30), 1);
        fail(breaker, 5);
        clock.addAndGet(Duration.ofSeconds(31).toNanos());
        Permit probe = breaker.admit();

        breaker.onOutcome(probe, Outcome.FAILURE);

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.remainingOpen()).isEqualTo(Duration.ofSeconds(30));
        assertThat(events.get(2)).isEqualTo(new CircuitEvent("orders", CircuitEvent.Kind.OPENED, 1, 30_000));
        assertThat(breaker.admit().retryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aProbeThatSaysNothingGivesItsPlaceToTheNextRequest() {
        CircuitBreaker breaker = breaker(1, Duration.ofSeconds(5), 1);
        fail(breaker, 1);
        clock.addAndGet(Duration.ofSeconds(5).toNanos());
        Permit probe = breaker.admit();
        assertThat(breaker.admit().admitted()).isFalse();

        breaker.onOutcome(probe, Outcome.NONE);

        Permit next = breaker.admit();
        assertThat(next.admitted()).isTrue();
        assertThat(next.probe()).isTrue();
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void aLateProbeOfAnEarlierHalfOpenPeriodChangesNothing() {
        CircuitBreaker breaker = breaker(1, Duration.ofSeconds(5), 2);
        fail(breaker, 1);
        clock.addAndGet(Duration.ofSeconds(5).toNanos());
        Permit first = breaker.admit();
        Permit second = breaker.admit();
        breaker.onOutcome(first, Outcome.FAILURE); // reopens
        clock.addAndGet(Duration.ofSeconds(5).toNanos());
        Permit third = breaker.admit();
        assertThat(third.probe()).isTrue();

        breaker.onOutcome(second, Outcome.SUCCESS);

        assertThat(breaker.state()).as("the second probe belonged to the earlier period").isEqualTo(State.HALF_OPEN);
        breaker.onOutcome(third, Outcome.SUCCESS);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void outcomesOfRequestsAdmittedBeforeItOpenedChangeNothingWhileOpen() {
        CircuitBreaker breaker = breaker(2, Duration.ofSeconds(5), 1);
        Permit inFlight = breaker.admit();
        fail(breaker, 2);

        breaker.onOutcome(inFlight, Outcome.SUCCESS);

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(kinds()).containsExactly(CircuitEvent.Kind.OPENED);
    }

    @Test
    void manyThreadsInHalfOpenLetExactlyTheConfiguredProbesThrough() throws Exception {
        int probes = 3;
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 50; round++) {
                events.clear();
                CircuitBreaker breaker = breaker(1, Duration.ofSeconds(1), probes);
                fail(breaker, 1);
                clock.addAndGet(Duration.ofSeconds(1).toNanos());
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Permit>> answers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    answers.add(pool.submit(() -> {
                        start.await(5, TimeUnit.SECONDS);
                        return breaker.admit();
                    }));
                }
                int admitted = 0;
                for (Future<Permit> answer : answers) {
                    if (answer.get(5, TimeUnit.SECONDS).admitted()) {
                        admitted++;
                    }
                }
                assertThat(admitted).as("round %d", round).isEqualTo(probes);
                assertThat(kinds()).as("one HALF_OPEN event, by the thread that made the change")
                        .containsExactly(CircuitEvent.Kind.OPENED, CircuitEvent.Kind.HALF_OPEN);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentFailuresOpenItOnceWithOneEvent() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CircuitBreaker breaker = breaker(5, Duration.ofSeconds(30), 1);
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    for (int i = 0; i < 100; i++) {
                        Permit p = breaker.admit();
                        breaker.onOutcome(p, Outcome.FAILURE);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.SECONDS);
            }
            assertThat(breaker.state()).isEqualTo(State.OPEN);
            assertThat(kinds()).containsExactly(CircuitEvent.Kind.OPENED);
        } finally {
            pool.shutdownNow();
        }
    }
}
