package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.Selection;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamHealth;
import dev.upstreamguard.core.lifecycle.HealthFixtures.FakeClock;
import dev.upstreamguard.core.lifecycle.HealthFixtures.RecordingListener;
import dev.upstreamguard.core.policy.PassiveHealthPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of failures, answers, selections and clock moves (seeded, bounded) against one pool.
 * Every step is checked against the snapshot taken just before it at the same instant, so each rule of
 * the state machine is an assertion: the exact threshold, the cap (never the only upstream), panic, the
 * ejection time, the streak, restoration, and one event per transition.
 */
class UpstreamPoolPropertyTest {
    private static final int STEPS = 3000;
    private static final int[] STATUSES = {200, 204, 301, 404, 429, 500, 502, 503};

    private final FakeClock clock = new FakeClock();
    private final RecordingListener listener = new RecordingListener();

    private Random random;
    private PassiveHealthPolicy policy;
    private UpstreamPool pool;
    private int cap;
    private boolean[] out;          // per upstream, as the events tell it
    private long[] ejectedUntil;    // per upstream, from the last EJECTED event
    private long[] lastEjection;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233})
    void invariantsHoldForRandomSequences(long seed) {
        random = new Random(seed);
        int n = 1 + random.nextInt(6);
        Duration base = Duration.ofMillis(100L * (1 + random.nextInt(10)));
        policy = new PassiveHealthPolicy(true, 1 + random.nextInt(4), base,
                base.multipliedBy(1 + random.nextInt(8)), random.nextInt(5) == 0 ? 0 : random.nextInt(101),
                random.nextBoolean(), random.nextInt(4) == 0 ? 0 : random.nextInt(101));
        pool = new UpstreamPool("r", HealthFixtures.upstreams(n), policy, clock, listener);
        cap = policy.maxEjected(n);
        out = new boolean[n];
        ejectedUntil = new long[n];
        lastEjection = new long[n];

        int ejections = 0;
        for (int step = 0; step < STEPS; step++) {
            int op = random.nextInt(20);
            if (op < 3) {
                long longest = policy.maxEjection().toNanos() * 3 / 2;
                clock.advanceNanos(random.nextInt(4) == 0 ? (long) (random.nextDouble() * longest)
                        : random.nextInt(50_000_000)); // up to 1.5 x the longest ejection, or up to 50 ms
                snapshot();
            } else if (op < 5) {
                checkSelect();
            } else if (op < 13) {
                ejections += checkFailure(Math.min(random.nextInt(n), random.nextInt(n))); // low ids fail more
            } else {
                ejections += checkResponse(random.nextInt(n), STATUSES[random.nextInt(STATUSES.length)]);
            }
        }
        if (cap > 0) {
            assertThat(ejections).as("the sequence exercised ejections").isPositive();
        } else {
            assertThat(ejections).as("0 %% or a single upstream: nothing is ejected").isZero();
        }
    }

    /** health() at the current instant, with the events it caused applied and checked. */
    private List<UpstreamHealth> snapshot() {
        List<UpstreamHealth> health = pool.health();
        List<HealthEvent> events = listener.drain();
        for (HealthEvent e : events) {
            assertThat(e.kind()).as("only restorations happen on health()").isEqualTo(HealthEvent.Kind.RESTORED);
            apply(e);
        }
        int ejected = 0;
        for (int i = 0; i < health.size(); i++) {
            UpstreamHealth h = health.get(i);
            assertThat(h.ejected()).as("events agree with the state of u%d", i).isEqualTo(out[i]);
            assertThat(h.ejectedFor()).isLessThanOrEqualTo(policy.maxEjection());
            if (h.ejected()) {
                ejected++;
                assertThat(h.consecutiveFailures()).isZero();
                assertThat(h.ejectionCount()).isPositive();
                assertThat(h.ejectedFor().toNanos()).isEqualTo(ejectedUntil[i] - clock.getAsLong());
            }
        }
        assertThat(pool.ejectedCount()).as("the route-wide count matches").isEqualTo(ejected);
        return health;
    }

    private void apply(HealthEvent e) {
        int i = Integer.parseInt(e.upstreamId().substring(1));
        if (e.kind() == HealthEvent.Kind.EJECTED) {
            assertThat(out[i]).as("u%d ejected twice", i).isFalse();
            out[i] = true;
            lastEjection[i] = Duration.ofMillis(e.ejectionMillis()).toNanos();
            ejectedUntil[i] = clock.getAsLong() + policy.ejectionTime(e.ejectionCount()).toNanos();
        } else {
            assertThat(out[i]).as("u%d restored while in", i).isTrue();
            assertThat(clock.getAsLong() - ejectedUntil[i]).as("restored before its time").isNotNegative();
            out[i] = false;
        }
    }

    private void checkSelect() {
        List<UpstreamHealth> before = snapshot();
        Set<String> tried = new HashSet<>();
        for (UpstreamHealth h : before) {
            if (random.nextInt(3) == 0) {
                tried.add(h.upstream().id());
            }
        }
        Selection s = pool.select(tried);
        assertThat(listener.drain()).isEmpty();
        List<UpstreamHealth> rotating = before.stream().filter(h -> !h.ejected()).toList();
        boolean panic = policy.panics(rotating.size(), before.size());
        List<UpstreamHealth> in = panic ? before : rotating;
        if (in.isEmpty()) {
            assertThat(s.available()).isFalse();
            assertThat(s.retryAfter()).isEqualTo(before.stream().map(UpstreamHealth::ejectedFor)
                    .min(Duration::compareTo).orElseThrow());
        } else {
            assertThat(s.available()).isTrue();
            if (in.stream().anyMatch(h -> !tried.contains(h.upstream().id()))) {
                assertThat(in).extracting(UpstreamHealth::upstream).contains(s.upstream());
                assertThat(tried).doesNotContain(s.upstream().id());
            } else if (!tried.isEmpty() && before.stream().anyMatch(h -> !tried.contains(h.upstream().id()))) {
                assertThat(tried).as("an untried ejected upstream before a tried one").doesNotContain(s.upstream().id());
            } else {
                assertThat(in).extracting(UpstreamHealth::upstream).contains(s.upstream());
            }
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    private int checkFailure(int i) {
        UpstreamFailure failure = random.nextBoolean() ? HealthFixtures.REFUSED
                : UpstreamFailure.of(ErrorType.values()[random.nextInt(ErrorType.values().length)],
                Phase.values()[random.nextInt(Phase.values().length)]);
        List<UpstreamHealth> before = snapshot();
        pool.onFailure(pool.upstreams().get(i), failure);
        return checkCountedFailure(i, before, FailureAttribution.countsAgainstUpstream(failure));
    }

    private int checkResponse(int i, int status) {
        List<UpstreamHealth> before = snapshot();
        pool.onResponse(pool.upstreams().get(i), status);
        if (status >= 500 && policy.countUpstream5xx()) {
            return checkCountedFailure(i, before, true);
        }
        List<HealthEvent> events = listener.drain();
        assertThat(events).isEmpty();
        List<UpstreamHealth> after = snapshot();
        List<UpstreamHealth> expected = new ArrayList<>(before);
        UpstreamHealth b = before.get(i);
        if (!b.ejected()) {
            boolean streakOver = clock.getAsLong() - ejectedUntil[i] - lastEjection[i] >= 0;
            expected.set(i, new UpstreamHealth(b.upstream(), false, 0, streakOver ? 0 : b.ejectionCount(), Duration.ZERO));
        }
        assertThat(after).isEqualTo(expected);
        return 0;
    }

    private int checkCountedFailure(int i, List<UpstreamHealth> before, boolean counted) {
        List<HealthEvent> events = listener.drain();
        List<UpstreamHealth> expected = new ArrayList<>(before);
        UpstreamHealth b = before.get(i);
        int ejectedNow = 0;
        if (counted && !b.ejected()) {
            int run = b.consecutiveFailures() + 1;
            long ejectedBefore = before.stream().filter(UpstreamHealth::ejected).count();
            if (run >= policy.consecutiveFailures() && ejectedBefore < cap) {
                Duration time = policy.ejectionTime(b.ejectionCount() + 1);
                expected.set(i, new UpstreamHealth(b.upstream(), true, 0, b.ejectionCount() + 1, time));
                assertThat(events).hasSize(1).first().satisfies(e -> {
                    assertThat(e.kind()).isEqualTo(HealthEvent.Kind.EJECTED);
                    assertThat(e.upstreamId()).isEqualTo(b.upstream().id());
                    assertThat(e.consecutiveFailures()).isEqualTo(run);
                    assertThat(e.ejectionMillis()).isEqualTo(time.toMillis());
                    assertThat(e.ejectionCount()).isEqualTo(b.ejectionCount() + 1);
                });
                apply(events.get(0));
                ejectedNow = 1;
            } else {
                expected.set(i, new UpstreamHealth(b.upstream(), false, run, b.ejectionCount(), Duration.ZERO));
            }
        }
        if (ejectedNow == 0) {
            assertThat(events).isEmpty();
        }
        assertThat(snapshot()).isEqualTo(expected);
        return ejectedNow;
    }
}
