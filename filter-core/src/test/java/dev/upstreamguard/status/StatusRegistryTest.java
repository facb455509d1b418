package dev.upstreamguard.status;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.Upstream;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamHealth;
import dev.upstreamguard.core.lifecycle.UpstreamPool;
import dev.upstreamguard.core.policy.PassiveHealthPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class StatusRegistryTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:30Z"));
    private final FailureHistory history = new FailureHistory(clock);
    private final StatusRegistry registry = new StatusRegistry(history);

    @Test
    void showsRoutesInRegistrationOrderAndAReRegisteredRouteKeepsItsPlace() {
        registry.register("zeta", List::of).register("alpha", List::of).register("mid", List::of);
        registry.register("zeta", () -> List.of(healthy("z-1")));
        registry.unregister("mid");

        StatusReport report = registry.report();

        assertThat(report.routes()).extracting(RouteStatus::routeId).containsExactly("zeta", "alpha");
        assertThat(report.routes().get(0).upstreams()).extracting(UpstreamStatus::id).containsExactly("z-1");
    }

    @Test
    void aFailingHealthSupplierMarksOnlyItsRouteUnknown() {
        registry.register("broken", () -> {
            throw new IllegalStateException("pool closed");
        });
        registry.register("fine", () -> List.of(healthy("f-1")));

        StatusReport report = registry.report();

        assertThat(report.routes().get(0)).isEqualTo(new RouteStatus("broken", List.of(), false));
        assertThat(report.routes().get(1).healthKnown()).isTrue();
    }

    @Test
    void reportsAPoolsEjectionWithTheTimeLeftAndTheHistoryOnTheSameClock() {
        AtomicLong nanos = new AtomicLong();
        PassiveHealthPolicy policy = new PassiveHealthPolicy(true, 2, Duration.ofSeconds(30), Duration.ofMinutes(5),
                100, false);
        Upstream a = Upstream.of("orders-a", "http://127.0.0.1:1");
        Upstream b = Upstream.of("orders-b", "http://127.0.0.1:2");
        UpstreamPool pool = new UpstreamPool("orders", List.of(a, b), policy, nanos::get, history);
        registry.register(pool);
        UpstreamFailure refused = UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT);
        pool.onFailure(a, refused);
        pool.onFailure(a, refused);
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        clock.advance(Duration.ofSeconds(10));

        StatusReport report = registry.report();

        assertThat(report.generatedAt()).isEqualTo(Instant.parse("2026-11-25T10:00:40Z"));
        assertThat(report.routes().get(0).upstreams()).containsExactly(
                new UpstreamStatus("orders-a", true, 20_000, 0, 1),
                new UpstreamStatus("orders-b", false, 0, 0, 0));
        assertThat(report.routes().get(0).ejectedCount()).isEqualTo(1);
        assertThat(report.counters().ejections()).isEqualTo(1);
        assertThat(report.minutes()).hasSize(FailureHistory.DEFAULT_WINDOW_MINUTES);
    }

    @Test
    void aSubMillisecondEjectionStillShowsTimeLeft() {
        UpstreamHealth almostBack = new UpstreamHealth(Upstream.of("u", "http://127.0.0.1:1"), true, 0, 1, Duration.ofNanos(1));

        assertThat(UpstreamStatus.of(almostBack).ejectedForMillis()).isEqualTo(1);
    }

    private static UpstreamHealth healthy(String id) {
        return new UpstreamHealth(Upstream.of(id, "http://127.0.0.1:1"), false, 0, 0, Duration.ZERO);
    }
}
