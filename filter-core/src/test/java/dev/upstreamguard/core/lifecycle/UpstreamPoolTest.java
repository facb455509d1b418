package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.GuardListeners;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.PanicEvent;
import dev.upstreamguard.core.Selection;
import dev.upstreamguard.core.Upstream;
import dev.upstreamguard.core.UpstreamHealth;
import dev.upstreamguard.core.lifecycle.HealthFixtures.FakeClock;
import dev.upstreamguard.core.lifecycle.HealthFixtures.RecordingListener;
import dev.upstreamguard.core.policy.PassiveHealthPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.upstreamguard.core.lifecycle.HealthFixtures.POOL_FULL;
import static dev.upstreamguard.core.lifecycle.HealthFixtures.REFUSED;
import static dev.upstreamguard.core.lifecycle.HealthFixtures.policy;
import static dev.upstreamguard.core.lifecycle.HealthFixtures.upstreams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class UpstreamPoolTest {
    private static final Duration BASE = Duration.ofSeconds(10);
    private static final Duration MAX = Duration.ofSeconds(35);
    private static final int N = 3;

    private final FakeClock clock = new FakeClock();
    private final RecordingListener events = new RecordingListener();

    private UpstreamPool pool(int upstreams, int percent) {
        return pool(upstreams, policy(N, BASE, MAX, percent, false));
    }

    private UpstreamPool pool(int upstreams, PassiveHealthPolicy policy) {
        return new UpstreamPool("orders", upstreams(upstreams), policy, clock, events);
    }

    private static Upstream up(UpstreamPool pool, int i) {
        return pool.upstreams().get(i);
    }

    private static void fail(UpstreamPool pool, int i, int times) {
        for (int k = 0; k < times; k++) {
            pool.onFailure(up(pool, i), REFUSED);
        }
    }

    private static String next(UpstreamPool pool, String... tried) {
        Selection s = pool.select(Arrays.asList(tried));
        return s.available() ? s.upstream().id() : "none";
    }

    private static List<Boolean> ejected(UpstreamPool pool) {
        return pool.health().stream().map(UpstreamHealth::ejected).collect(Collectors.toList());
    }

    // --- rotation

    @Test
    void roundRobinOverAllUpstreams() {
        UpstreamPool pool = pool(3, 50);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            order.add(next(pool));
        }
        assertThat(order).containsExactly("u0", "u1", "u2", "u0", "u1", "u2", "u0");
    }

    @ParameterizedTest(name = "tried [{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
            "       | u0",
            "u0     | u1",
            "u0,u1  | u2",
            "u1     | u0",
            "u2,u0  | u1",
            "u0,u1,u2 | u0",
            "u9     | u0"
    })
    void skipsTriedUpstreamsAndFallsBackToATriedOneWhenAllWereTried(String tried, String expected) {
        UpstreamPool pool = pool(3, 50);
        Set<String> triedIds = tried == null ? Set.of() : Set.of(tried.split(","));
        assertThat(pool.select(triedIds).upstream().id()).isEqualTo(expected);
    }

    @Test
    void aSingleUpstreamRouteCanRetry() {
        UpstreamPool pool = pool(1, 50);
        assertThat(next(pool, "u0")).isEqualTo("u0");
    }

    @Test
    void healthyUpstreamsShareTheLoadEvenlyWhenOneIsOut() {
        UpstreamPool pool = pool(3, 50);
        fail(pool, 1, N);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            order.add(next(pool));
        }
        assertThat(order).doesNotContain("u1");
        assertThat(order.stream().filter("u0"::equals).count()).isEqualTo(3);
    }

    @Test
    void retryGoesToAnotherHealthyUpstreamBeforeAnEjectedOne() {
        UpstreamPool pool = pool(3, 50);
        fail(pool, 2, N);
        for (int i = 0; i < 5; i++) {
            String first = next(pool);
            String second = next(pool, first);
            assertThat(Set.of(first, second)).containsExactlyInAnyOrder("u0", "u1");
            assertThat(next(pool, "u0", "u1")).as("every healthy one tried: the ejected one").isEqualTo("u2");
            assertThat(next(pool, "u0", "u1", "u2")).isIn("u0", "u1");
        }
    }

    // --- ejection after exactly N

    @Test
    void ejectsAfterExactlyNConsecutiveFailures() {
        UpstreamPool pool = pool(2, 50);
        fail(pool, 0, N - 1);
        assertThat(ejected(pool)).containsExactly(false, false);
        assertThat(pool.health().get(0).consecutiveFailures()).isEqualTo(N - 1);
        assertThat(events.drain()).isEmpty();

        fail(pool, 0, 1);
        assertThat(ejected(pool)).containsExactly(true, false);
        assertThat(events.drain()).extracting(HealthEvent::routeId, HealthEvent::upstreamId, HealthEvent::kind,
                        HealthEvent::consecutiveFailures, HealthEvent::ejectionMillis, HealthEvent::ejectionCount)
                .containsExactly(tuple("orders", "u0", HealthEvent.Kind.EJECTED, N, 10_000L, 1));
    }

    @Test
    void aSuccessInBetweenStartsTheRunAgain() {
        UpstreamPool pool = pool(2, 50);
        fail(pool, 0, N - 1);
        pool.onResponse(up(pool, 0), 200);
        fail(pool, 0, N - 1);
        assertThat(ejected(pool)).containsExactly(false, false);
        assertThat(pool.health().get(0).consecutiveFailures()).isEqualTo(N - 1);
        fail(pool, 0, 1);
        assertThat(ejected(pool)).containsExactly(true, false);
    }

    @Test
    void failuresThatAreNotTheUpstreamsNeitherCountNorReset() {
        UpstreamPool pool = pool(2, 50);
        for (int i = 0; i < 10; i++) {
            pool.onFailure(up(pool, 0), POOL_FULL);
        }
        assertThat(pool.health().get(0).consecutiveFailures()).isZero();
        fail(pool, 0, N - 1);
        pool.onFailure(up(pool, 0), POOL_FULL);
        fail(pool, 0, 1);
        assertThat(ejected(pool)).containsExactly(true, false);
    }

    // --- growing ejection time and its streak

    @Test
    void ejectionTimeGrowsAndIsCappedWhileTheUpstreamKeepsFailing() {
        UpstreamPool pool = pool(2, 50);
        List<Long> times = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            fail(pool, 0, N);
            UpstreamHealth h = pool.health().get(0);
            assertThat(h.ejected()).isTrue();
            assertThat(h.ejectionCount()).isEqualTo(round + 1);
            times.add(h.ejectedFor().toMillis());
            clock.advance(h.ejectedFor());
            assertThat(ejected(pool)).containsExactly(false, false);
        }
        assertThat(times).containsExactly(10_000L, 20_000L, 35_000L, 35_000L);
        assertThat(events.drain()).extracting(HealthEvent::kind, HealthEvent::ejectionMillis, HealthEvent::ejectionCount)
                .containsExactly(
                        tuple(HealthEvent.Kind.EJECTED, 10_000L, 1), tuple(HealthEvent.Kind.RESTORED, 0L, 1),
                        tuple(HealthEvent.Kind.EJECTED, 20_000L, 2), tuple(HealthEvent.Kind.RESTORED, 0L, 2),
                        tuple(HealthEvent.Kind.EJECTED, 35_000L, 3), tuple(HealthEvent.Kind.RESTORED, 0L, 3),
                        tuple(HealthEvent.Kind.EJECTED, 35_000L, 4), tuple(HealthEvent.Kind.RESTORED, 0L, 4));
    }

    @Test
    void theStreakEndsWithASuccessOnceBackAsLongAsTheLastEjection() {
        UpstreamPool pool = pool(2, 50);
        fail(pool, 0, N);                        // out for 10 s
        clock.advance(BASE);                     // back
        clock.advance(BASE.minusNanos(1));       // back for just under 10 s
        pool.onResponse(up(pool, 0), 200);
        assertThat(pool.health().get(0).ejectionCount()).as("streak kept").isEqualTo(1);
        fail(pool, 0, N);
        assertThat(pool.health().get(0).ejectedFor()).isEqualTo(Duration.ofSeconds(20));

        clock.advance(Duration.ofSeconds(20));   // back
        clock.advance(Duration.ofSeconds(20));   // back as long as it was out
        assertThat(pool.health().get(0).ejectionCount()).as("only an answer ends the streak").isEqualTo(2);
        pool.onResponse(up(pool, 0), 204);
        assertThat(pool.health().get(0).ejectionCount()).isZero();
        fail(pool, 0, N);
        assertThat(pool.health().get(0).ejectedFor()).isEqualTo(BASE);
    }

    // --- automatic return

    @Test
    void returnsWhenItsTimeIsUpWithOneRestoredEvent() {
        UpstreamPool pool = pool(2, 50);
        fail(pool, 0, N);
        events.drain();
        clock.advance(BASE.minusNanos(1));
        assertThat(next(pool)).isEqualTo("u1");
        assertThat(next(pool)).isEqualTo("u1");
        assertThat(pool.health().get(0).ejectedFor()).isEqualTo(Duration.ofNanos(1));
        assertThat(events.drain()).isEmpty();

        clock.advanceNanos(1);
        for (int i = 0; i < 3; i++) {
            pool.health();
            pool.select(List.of());
        }
        assertThat(events.drain()).extracting(HealthEvent::upstreamId, HealthEvent::kind)
                .containsExactly(tuple("u0", HealthEvent.Kind.RESTORED));
        assertThat(pool.health().get(0)).satisfies(h -> {
            assertThat(h.ejected()).isFalse();
            assertThat(h.ejectedFor()).isZero();
            assertThat(h.consecutiveFailures()).isZero();
        });
        assertThat(pool.ejectedCount()).isZero();
    }

    @Test
    void whatHappensWhileOutChangesNothing() {
        UpstreamPool pool = pool(2, 50);
        fail(pool, 0, N);
        clock.advance(Duration.ofSeconds(1));
        fail(pool, 0, 20);                       // attempts that were in flight
        pool.onResponse(up(pool, 0), 200);
        assertThat(pool.health().get(0).ejectedFor()).isEqualTo(Duration.ofSeconds(9));
        assertThat(pool.health().get(0).consecutiveFailures()).isZero();
        clock.advance(Duration.ofSeconds(9));
        assertThat(ejected(pool)).containsExactly(false, false);
        assertThat(events.drain()).extracting(HealthEvent::kind)
                .containsExactly(HealthEvent.Kind.EJECTED, HealthEvent.Kind.RESTORED);
    }

    @Test
    void aReturningUpstreamNeedsAFullRunToGoOutAgain() {
        UpstreamPool pool = pool(2, 50);
        fail(pool, 0, N);
        clock.advance(BASE);
        fail(pool, 0, N - 1);
        assertThat(ejected(pool)).containsExactly(false, false);
        fail(pool, 0, 1);
        assertThat(ejected(pool)).containsExactly(true, false);
    }

    // --- max ejected percent

    @Test
    void neverMoreThanTheShareOut_theThirdOfFourStaysInAndGoesWhenThereIsRoom() {
        UpstreamPool pool = pool(4, 50);
        fail(pool, 0, N);
        clock.advance(Duration.ofSeconds(1));
        fail(pool, 1, N);
        fail(pool, 2, N + 4);
        assertThat(ejected(pool)).containsExactly(true, true, false, false);
        assertThat(pool.health().get(2).consecutiveFailures()).isEqualTo(N + 4);
        assertThat(pool.ejectedCount()).isEqualTo(2);
        for (int i = 0; i < 4; i++) {
            assertThat(next(pool)).isIn("u2", "u3");
        }

        clock.advance(BASE.minusSeconds(1));     // u0 returns, u1 has 1 s left
        fail(pool, 2, 1);
        assertThat(ejected(pool)).containsExactly(false, true, true, false);
        assertThat(events.drain()).extracting(HealthEvent::upstreamId, HealthEvent::kind, HealthEvent::consecutiveFailures)
                .containsExactly(tuple("u0", HealthEvent.Kind.EJECTED, N), tuple("u1", HealthEvent.Kind.EJECTED, N),
                        tuple("u0", HealthEvent.Kind.RESTORED, 0), tuple("u2", HealthEvent.Kind.EJECTED, N + 5));
    }

    @Test
    void whenEveryUpstreamIsFailingTheCapHoldsAndTheRestStillServe() {
        UpstreamPool pool = pool(4, 50);
        for (int i = 0; i < 4; i++) {
            fail(pool, i, N + 3);
        }
        assertThat(ejected(pool)).containsExactly(true, true, false, false);
        assertThat(pool.ejectedCount()).isEqualTo(2);
        for (int i = 0; i < 4; i++) {
            assertThat(next(pool)).isIn("u2", "u3");
        }
    }

    @Test
    void belowThePanicThresholdEveryUpstreamTakesTrafficAgain() {
        UpstreamPool pool = pool(4, policy(N, BASE, MAX, 100, false, 50));
        fail(pool, 0, N);
        fail(pool, 1, N);
        assertThat(ejected(pool)).containsExactly(true, true, false, false);
        Set<String> chosen = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            chosen.add(next(pool));
        }
        assertThat(chosen).as("half in rotation is not below 50 %").containsExactlyInAnyOrder("u2", "u3");

        fail(pool, 2, N);                        // one of four left: 25 % < 50 %, panic
        assertThat(ejected(pool)).containsExactly(true, true, true, false);
        chosen.clear();
        for (int i = 0; i < 8; i++) {
            chosen.add(next(pool));
        }
        assertThat(chosen).containsExactlyInAnyOrder("u0", "u1", "u2", "u3");
        assertThat(next(pool, "u0", "u1", "u2")).as("a retry still goes where the request has not been").isEqualTo("u3");
    }

    @Test
    void enteringAndLeavingPanicAreEachOneEventWhateverTheTraffic() {
        UpstreamPool pool = pool(4, policy(N, BASE, MAX, 100, false, 50));
        fail(pool, 0, N);
        fail(pool, 1, N);
        for (int i = 0; i < 8; i++) {
            next(pool);
        }
        assertThat(events.panics).as("half in rotation is not below 50 %").isEmpty();
        assertThat(pool.inPanic()).isFalse();

        fail(pool, 2, N);                        // one of four left: 25 % < 50 %
        for (int i = 0; i < 8; i++) {
            next(pool);
        }
        assertThat(events.panics).containsExactly(new PanicEvent("orders", PanicEvent.Kind.ENTERED, 1, 4));
        assertThat(pool.inPanic()).isTrue();

        clock.advance(BASE);                     // the ejections end: all four back in rotation
        for (int i = 0; i < 8; i++) {
            next(pool);
        }
        assertThat(events.panics).containsExactly(new PanicEvent("orders", PanicEvent.Kind.ENTERED, 1, 4),
                new PanicEvent("orders", PanicEvent.Kind.LEFT, 4, 4));
        assertThat(pool.inPanic()).isFalse();
    }

    @Test
    void aThresholdOfZeroNeverPanicsSoAnAllEjectedRouteAnswersNoneWithTheExactTimeLeft() {
        UpstreamPool pool = pool(2, policy(N, BASE, MAX, 100, false, 0));
        fail(pool, 0, N);
        clock.advance(Duration.ofSeconds(2));
        fail(pool, 1, N);
        assertThat(ejected(pool)).containsExactly(true, true);
        clock.advanceNanos(123_456_789L);
        Selection none = pool.select(List.of());
        assertThat(none.available()).isFalse();
        assertThat(none.retryAfter()).isEqualTo(BASE.minusSeconds(2).minusNanos(123_456_789L));
    }

    @Test
    void aHealthyUpstreamKeepsTheCapInForce() {
        UpstreamPool pool = pool(4, 50);
        fail(pool, 0, N);
        fail(pool, 1, N);
        fail(pool, 2, N);
        pool.onResponse(up(pool, 3), 200);
        fail(pool, 2, 10);
        assertThat(ejected(pool)).containsExactly(true, true, false, false);
    }

    /** The soak run's outage: u0 ejected for its own faults, u1 (in rotation) down — a retry must reach u0. */
    @Test
    void aRetryThatTriedEveryUpstreamInRotationGoesToAnEjectedOneBeforeRepeating() {
        UpstreamPool pool = pool(2, 50);
        fail(pool, 0, N);
        assertThat(ejected(pool)).containsExactly(true, false);
        assertThat(next(pool)).as("a first attempt goes to the one in rotation").isEqualTo("u1");
        assertThat(next(pool, "u1")).as("its retry to the ejected one, not u1 again").isEqualTo("u0");
        assertThat(next(pool, "u1", "u0")).as("both tried: the one in rotation again").isEqualTo("u1");
    }

    @Test
    void zeroPercentNeverEjects() {
        UpstreamPool pool = pool(2, 0);
        fail(pool, 0, N + 2);
        fail(pool, 1, N + 2);
        assertThat(ejected(pool)).containsExactly(false, false);
        assertThat(events.drain()).isEmpty();
    }

    // --- a single upstream

    /** nginx never marks the only server of a group down: there is nowhere else to send the request. */
    @Test
    void theOnlyUpstreamOfARouteIsNeverEjected() {
        UpstreamPool pool = pool(1, policy(N, BASE, MAX, 100, false, 0));
        fail(pool, 0, N * 10);
        assertThat(ejected(pool)).containsExactly(false);
        assertThat(pool.health().get(0).consecutiveFailures()).isEqualTo(N * 10);
        assertThat(next(pool)).isEqualTo("u0");
        assertThat(next(pool, "u0")).as("a retry goes to it again").isEqualTo("u0");
        assertThat(events.drain()).isEmpty();
    }

    @Test
    void retryAfterIsTheSoonestReturn() {
        UpstreamPool pool = pool(3, policy(N, BASE, MAX, 100, false, 0));
        fail(pool, 0, N);                        // back at t+10
        fail(pool, 1, N);
        clock.advance(BASE);
        fail(pool, 1, N);                        // second ejection: back at t+30
        clock.advance(Duration.ofSeconds(4));
        fail(pool, 2, N);                        // back at t+24
        fail(pool, 0, N);                        // second ejection: back at t+34
        assertThat(pool.select(List.of()).retryAfter()).isEqualTo(Duration.ofSeconds(10));
    }

    // --- upstream 5xx

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 599})
    void upstream5xxCountsOnlyWhenConfigured(int status) {
        UpstreamPool counting = pool(2, policy(N, BASE, MAX, 50, true));
        for (int i = 0; i < N; i++) {
            counting.onResponse(up(counting, 0), status);
        }
        assertThat(ejected(counting)).containsExactly(true, false);

        UpstreamPool passing = pool(2, policy(N, BASE, MAX, 50, false));
        fail(passing, 0, N - 1);
        passing.onResponse(up(passing, 0), status);   // it answered: the run ends
        fail(passing, 0, N - 1);
        assertThat(ejected(passing)).containsExactly(false, false);
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 200, 304, 404, 429, 499})
    void otherStatusesEndTheRunEvenWhen5xxCount(int status) {
        UpstreamPool pool = pool(2, policy(N, BASE, MAX, 50, true));
        fail(pool, 0, N - 1);
        pool.onResponse(up(pool, 0), status);
        assertThat(pool.health().get(0).consecutiveFailures()).isZero();
    }

    // --- disabled, snapshot, argument checks

    @Test
    void disabledPolicyOnlyRotates() {
        UpstreamPool pool = pool(2, PassiveHealthPolicy.disabled());
        fail(pool, 0, 100);
        pool.onResponse(up(pool, 0), 503);
        assertThat(ejected(pool)).containsExactly(false, false);
        assertThat(pool.health().get(0).consecutiveFailures()).isZero();
        assertThat(List.of(next(pool), next(pool))).containsExactly("u0", "u1");
        assertThat(events.drain()).isEmpty();
    }

    @Test
    void healthSnapshotDescribesEachUpstream() {
        UpstreamPool pool = pool(2, 50);
        fail(pool, 0, N);
        fail(pool, 1, 2);
        clock.advance(Duration.ofSeconds(3));
        assertThat(pool.health()).containsExactly(
                new UpstreamHealth(up(pool, 0), true, 0, 1, Duration.ofSeconds(7)),
                new UpstreamHealth(up(pool, 1), false, 2, 0, Duration.ZERO));
        assertThat(pool.routeId()).isEqualTo("orders");
        assertThat(pool.toString()).isEqualTo("UpstreamPool[orders, 2 upstreams, 1 ejected]");
    }

    @Test
    void aThrowingListenerLeavesTheStateConsistent() {
        UpstreamPool pool = new UpstreamPool("orders", upstreams(2), policy(N, BASE, MAX, 50, false), clock,
                new dev.upstreamguard.core.GuardListener() {
                    @Override
                    public void onHealthChange(HealthEvent event) {
                        throw new IllegalStateException("broken listener");
                    }
                });
        assertThatThrownBy(() -> fail(pool, 0, N)).hasMessage("broken listener");
        assertThat(pool.ejectedCount()).isEqualTo(1);
        clock.advance(BASE);
        assertThatThrownBy(pool::health).hasMessage("broken listener");
        assertThat(pool.ejectedCount()).isZero();
        assertThat(ejected(pool)).containsExactly(false, false);
    }

    @Test
    void aLostRaceGivesItsEjectionSlotBack() {
        // Listeners must not call back; this one does, once, to stand in for another thread that ejects u0
        // after this thread reserved a slot for u0 (the reservation restores u1, whose event arrives here).
        List<HealthEvent> seen = new ArrayList<>();
        UpstreamPool[] holder = new UpstreamPool[1];
        UpstreamPool pool = new UpstreamPool("orders", upstreams(2), policy(1, BASE, MAX, 100, false), clock,
                new dev.upstreamguard.core.GuardListener() {
                    @Override
                    public void onHealthChange(HealthEvent event) {
                        seen.add(event);
                        if (event.kind() == HealthEvent.Kind.RESTORED) {
                            holder[0].onFailure(holder[0].upstreams().get(0), REFUSED);
                        }
                    }
                });
        holder[0] = pool;
        fail(pool, 1, 1);
        clock.advance(BASE);
        fail(pool, 0, 1);
        assertThat(seen).extracting(HealthEvent::upstreamId, HealthEvent::kind).containsExactly(
                tuple("u1", HealthEvent.Kind.EJECTED), tuple("u1", HealthEvent.Kind.RESTORED),
                tuple("u0", HealthEvent.Kind.EJECTED));
        assertThat(ejected(pool)).containsExactly(true, false);
        assertThat(pool.ejectedCount()).isEqualTo(1);
    }

    @Test
    void rejectsBadArguments() {
        UpstreamPool pool = pool(2, 50);
        Upstream stranger = Upstream.of("u0", "http://127.0.0.1:9999");
        assertThatThrownBy(() -> pool.onFailure(stranger, REFUSED)).hasMessageContaining("not one of route 'orders'");
        assertThatThrownBy(() -> pool.onResponse(Upstream.of("zz", "http://a"), 200)).hasMessageContaining("'zz'");
        assertThatThrownBy(() -> pool.onResponse(up(pool, 0), 99)).hasMessageContaining("100-599");
        assertThatThrownBy(() -> pool.onResponse(up(pool, 0), 600)).hasMessageContaining("100-599");
        assertThatThrownBy(() -> pool.select(null)).hasMessageContaining("triedIds");
        assertThatThrownBy(() -> new UpstreamPool("orders", List.of(), PassiveHealthPolicy.defaults(), clock,
                GuardListeners.none())).hasMessageContaining("at least one upstream");
        List<Upstream> twins = List.of(Upstream.of("a", "http://x"), Upstream.of("a", "http://y"));
        assertThatThrownBy(() -> new UpstreamPool("orders", twins, PassiveHealthPolicy.defaults(), clock,
                GuardListeners.none())).hasMessageContaining("two upstreams with id 'a'");
        assertThatThrownBy(() -> new UpstreamPool(" ", upstreams(1), PassiveHealthPolicy.defaults(), clock,
                GuardListeners.none())).hasMessageContaining("routeId");
    }

    @Test
    void anEqualUpstreamInstanceIsAccepted() {
        UpstreamPool pool = pool(2, 50);
        Upstream copy = Upstream.of("u0", "http://127.0.0.1:8000");
        for (int i = 0; i < N; i++) {
            pool.onFailure(copy, REFUSED);
        }
        assertThat(ejected(pool)).containsExactly(true, false);
    }
}
