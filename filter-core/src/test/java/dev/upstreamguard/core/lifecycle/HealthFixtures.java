package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.PanicEvent;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.Upstream;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.policy.PassiveHealthPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** A settable nano clock, a recording listener and a few failures, shared by the health tests. */
final class HealthFixtures {
    static final UpstreamFailure REFUSED = UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT);
    static final UpstreamFailure POOL_FULL = UpstreamFailure.of(ErrorType.CONNECTION_LIMIT_REACHED, Phase.CONNECT);

    private HealthFixtures() {
    }

    /** Upstreams u0..u(n-1) on distinct loopback ports. */
    static List<Upstream> upstreams(int n) {
        return IntStream.range(0, n).mapToObj(i -> Upstream.of("u" + i, "http://127.0.0.1:" + (8000 + i)))
                .collect(Collectors.toList());
    }

    static PassiveHealthPolicy policy(int failures, Duration base, Duration max, int percent, boolean count5xx) {
        return new PassiveHealthPolicy(true, failures, base, max, percent, count5xx);
    }

    static PassiveHealthPolicy policy(int failures, Duration base, Duration max, int percent, boolean count5xx,
                                      int panicThreshold) {
        return new PassiveHealthPolicy(true, failures, base, max, percent, count5xx, panicThreshold);
    }

    /** A monotonic clock the test moves; starts far from 0 so no code relies on zero. */
    static final class FakeClock implements LongSupplier {
        private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

        @Override
        public long getAsLong() {
            return nanos.get();
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }

        void advanceNanos(long n) {
            nanos.addAndGet(n);
        }
    }

    /** Keeps every health event, from any thread. */
    static final class RecordingListener implements GuardListener {
        final Queue<HealthEvent> events = new ConcurrentLinkedQueue<>();
        final Queue<PanicEvent> panics = new ConcurrentLinkedQueue<>();

        @Override
        public void onHealthChange(HealthEvent event) {
            events.add(event);
        }

        @Override
        public void onPanicChange(PanicEvent event) {
            panics.add(event);
        }

        List<HealthEvent> drain() {
            List<HealthEvent> out = new ArrayList<>();
            for (HealthEvent e; (e = events.poll()) != null; ) {
                out.add(e);
            }
            return out;
        }
    }
}
