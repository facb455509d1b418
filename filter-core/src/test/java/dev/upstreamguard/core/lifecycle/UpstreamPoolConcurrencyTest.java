package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.Selection;
import dev.upstreamguard.core.Upstream;
import dev.upstreamguard.core.UpstreamHealth;
import dev.upstreamguard.core.lifecycle.HealthFixtures.FakeClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static dev.upstreamguard.core.lifecycle.HealthFixtures.REFUSED;
import static dev.upstreamguard.core.lifecycle.HealthFixtures.policy;
import static dev.upstreamguard.core.lifecycle.HealthFixtures.upstreams;
import static org.assertj.core.api.Assertions.assertThat;

/** Several threads on one pool: no lost updates, no double transitions, the cap holds. Bounded loops. */
class UpstreamPoolConcurrencyTest {
    private static final int THREADS = 4;

    private final FakeClock clock = new FakeClock();

    /** Counts transitions per upstream and the ejected upstreams as the events tell it. */
    private static final class Tally implements GuardListener {
        final AtomicIntegerArray ejections;
        final AtomicIntegerArray restorations;
        final AtomicInteger out = new AtomicInteger();
        final AtomicInteger mostOut = new AtomicInteger();

        Tally(int upstreams) {
            ejections = new AtomicIntegerArray(upstreams);
            restorations = new AtomicIntegerArray(upstreams);
        }

        @Override
        public void onHealthChange(HealthEvent e) {
            int i = Integer.parseInt(e.upstreamId().substring(1));
            if (e.kind() == HealthEvent.Kind.EJECTED) {
                ejections.incrementAndGet(i);
                mostOut.accumulateAndGet(out.incrementAndGet(), Math::max);
            } else {
                restorations.incrementAndGet(i);
                out.decrementAndGet();
            }
        }
    }

    private static void runTogether(int threads, ThrowingTask task) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(executor.submit(() -> {
                    start.await();
                    task.run(id);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface ThrowingTask {
        void run(int thread) throws Exception;
    }

    @Test
    void hammeringKeepsTheCapAndEventsEachTransitionOnce() throws Exception {
        int n = 4;
        Tally tally = new Tally(n);
        UpstreamPool pool = new UpstreamPool("r", upstreams(n),
                policy(3, Duration.ofMillis(50), Duration.ofMillis(400), 50, true), clock, tally);
        double[] failureShare = {0.0, 0.6, 0.8, 0.95};   // u0 always answers, so never all are failing
        AtomicInteger unavailable = new AtomicInteger();

        runTogether(THREADS, thread -> {
            SplittableRandom r = new SplittableRandom(thread);
            List<String> tried = new ArrayList<>(1);
            for (int op = 0; op < 30_000; op++) {
                clock.advanceNanos(r.nextInt(200_000));
                int i = r.nextInt(n);
                Upstream u = pool.upstreams().get(i);
                if (r.nextDouble() < failureShare[i]) {
                    if (r.nextBoolean()) {
                        pool.onFailure(u, REFUSED);
                    } else {
                        pool.onResponse(u, 503);
                    }
                } else {
                    pool.onResponse(u, 200);
                }
                if (op % 8 == 0) {
                    tried.clear();
                    Selection s = pool.select(tried);
                    if (!s.available()) {
                        unavailable.incrementAndGet();
                    } else {
                        tried.add(s.upstream().id());
                        pool.select(tried);
                    }
                }
            }
        });

        assertThat(unavailable).as("u0 is never out").hasValue(0);
        assertThat(tally.ejections.get(0)).isZero();
        assertThat(tally.mostOut).as("never more than 50 %% of 4 out").hasValueLessThanOrEqualTo(2);
        int total = 0;
        List<UpstreamHealth> health = pool.health();
        for (int i = 0; i < n; i++) {
            int open = tally.ejections.get(i) - tally.restorations.get(i);
            assertThat(open).as("u%d: one restoration per ejection, so far", i).isEqualTo(health.get(i).ejected() ? 1 : 0);
            total += tally.ejections.get(i);
        }
        assertThat(total).as("the run ejected upstreams many times").isGreaterThan(20);
        assertThat(pool.ejectedCount()).isEqualTo(health.stream().filter(UpstreamHealth::ejected).count());

        clock.advance(Duration.ofMillis(400));
        assertThat(pool.health()).noneMatch(UpstreamHealth::ejected);
        assertThat(pool.ejectedCount()).isZero();
        assertThat(tally.out).hasValue(0);
        for (int i = 0; i < n; i++) {
            assertThat(tally.ejections.get(i)).isEqualTo(tally.restorations.get(i));
        }
    }

    @Test
    void concurrentFailuresEjectOnceAndLoseNoCount() throws Exception {
        Tally tally = new Tally(2);
        UpstreamPool pool = new UpstreamPool("r", upstreams(2),
                policy(1000, Duration.ofSeconds(1), Duration.ofSeconds(1), 50, false), clock, tally);
        for (int round = 1; round <= 20; round++) {
            runTogether(THREADS, thread -> {
                for (int k = 0; k < 249; k++) {
                    pool.onFailure(pool.upstreams().get(0), REFUSED);
                }
            });
            assertThat(pool.health().get(0).consecutiveFailures()).as("no lost update").isEqualTo(THREADS * 249);
            runTogether(THREADS, thread -> {
                for (int k = 0; k < 100; k++) {
                    pool.onFailure(pool.upstreams().get(0), REFUSED);
                }
            });
            assertThat(tally.ejections.get(0)).as("round %d: one ejection", round).isEqualTo(round);
            clock.advance(Duration.ofSeconds(1));
            runTogether(THREADS, thread -> pool.select(List.of()));
            assertThat(tally.restorations.get(0)).as("round %d: one restoration", round).isEqualTo(round);
        }
    }

    @Test
    void racingEjectionsNeverPassTheCap() throws Exception {
        Tally tally = new Tally(4);
        UpstreamPool pool = new UpstreamPool("r", upstreams(4),
                policy(5, Duration.ofSeconds(1), Duration.ofSeconds(1), 50, false), clock, tally);
        for (int round = 1; round <= 30; round++) {
            runTogether(3, thread -> {
                for (int k = 0; k < 200; k++) {
                    pool.onFailure(pool.upstreams().get(thread), REFUSED);   // u0..u2 fail, u3 stays healthy
                }
            });
            assertThat(pool.health()).filteredOn(UpstreamHealth::ejected).hasSize(2);
            assertThat(tally.out).hasValue(2);
            clock.advance(Duration.ofSeconds(1));
            pool.health();
            assertThat(tally.out).hasValue(0);
        }
        assertThat(tally.mostOut).hasValue(2);
    }
}
