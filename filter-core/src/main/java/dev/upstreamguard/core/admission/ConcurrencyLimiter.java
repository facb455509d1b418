package dev.upstreamguard.core.admission;

import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.GuardListeners;
import dev.upstreamguard.core.policy.ConcurrencyPolicy;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Load shedding for one route: at most {@link ConcurrencyPolicy#maxConcurrent()} requests in flight; the
 * next one is refused at once (never queued), to be answered 503 {@code connection_limit_reached}
 * (RFC 9209 §2.3.12, {@link AdmissionVerdicts#concurrencyLimited()}) with the {@code Retry-After}
 * (RFC 9110 §10.2.3) of {@link #retryAfter()}.
 *
 * <p>Lock-free and non-blocking: a compare-and-set on one counter. The allowed path allocates only the
 * permit; on an unlimited route ({@code maxConcurrent} 0) it allocates nothing, shares one permit and
 * counts nothing ({@link #inFlight()} stays 0).
 *
 * <p>Each permit records how long it was held (the request's duration) into an exponentially weighted
 * moving average (weight 1/8 per sample), which {@link #retryAfter()} turns into the advice for refused
 * clients.
 */
public final class ConcurrencyLimiter {
    /** A held slot. Closing it frees the slot and records the hold time; closing again does nothing. */
    public interface Permit extends AutoCloseable {
        /** Frees the slot (idempotent; never throws). */
        @Override
        void close();
    }

    private static final Permit UNLIMITED_PERMIT = () -> {
    };
    private static final long NO_SAMPLE = -1;
    /** The moving average moves 1/2^3 of the way to each new sample. */
    private static final int EWMA_SHIFT = 3;

    private final String routeId;
    private final LongSupplier nanoClock;
    private final GuardListener listener;
    private final int limit;
    private final long minRetryAfterNanos;
    private final long maxRetryAfterNanos;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong meanHoldNanos = new AtomicLong(NO_SAMPLE);
    /** When a slot was last taken or freed. */
    private volatile long lastTurnoverNanos;

    /** A limiter that reports refusals to no listener. */
    public ConcurrencyLimiter(String routeId, ConcurrencyPolicy policy, LongSupplier nanoClock) {
        this(routeId, policy, nanoClock, GuardListeners.none());
    }

    /**
     * A limiter for {@code routeId}.
     *
     * @param routeId   the route's configured id (for events)
     * @param policy    the limit and the {@code Retry-After} bounds
     * @param nanoClock a monotonic clock in nanoseconds, {@code System::nanoTime} outside tests
     * @param listener  told of every refusal ({@link AdmissionEvent.Kind#CONCURRENCY_LIMITED})
     */
    public ConcurrencyLimiter(String routeId, ConcurrencyPolicy policy, LongSupplier nanoClock, GuardListener listener) {
        this.routeId = Objects.requireNonNull(routeId, "routeId");
        Objects.requireNonNull(policy, "policy");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.limit = policy.maxConcurrent();
        this.minRetryAfterNanos = RetryAfterSeconds.saturatedNanos(policy.minRetryAfter());
        this.maxRetryAfterNanos = RetryAfterSeconds.saturatedNanos(policy.maxRetryAfter());
        this.lastTurnoverNanos = nanoClock.getAsLong();
    }

    /**
     * A permit, or {@code null} when the route is at its limit (then the refusal has been reported to the
     * listener). Non-blocking. The caller must close the permit when the exchange ends, however it ends.
     */
    public Permit tryAcquire() {
        if (limit == ConcurrencyPolicy.UNLIMITED) {
            return UNLIMITED_PERMIT;
        }
        for (;;) {
            int current = inFlight.get();
            if (current >= limit) {
                refused();
                return null;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                long now = nanoClock.getAsLong();
                lastTurnoverNanos = now;
                return new HeldPermit(this, now);
            }
        }
    }

    /**
     * How long a refused client should wait: the time until a slot is likely free, clamped to the
     * policy's bounds (the caller rounds it up to whole seconds, as {@code UpstreamGuard} does).
     *
     * <p>The estimate is the moving average of how long permits were held — by then the requests in
     * flight at the refusal have finished on average. A shorter guess (say the mean over the number of
     * slots) would send every refused client back into the same few freed slots at once. When slots
     * stop turning over (an upstream that hangs), the time since a slot was last taken or freed takes
     * over, so the advice grows while the route stays stuck. Before any permit was released, the
     * minimum.
     */
    public Duration retryAfter() {
        return Duration.ofNanos(retryAfterNanos());
    }

    /** Requests in flight now (0 on an unlimited route, which counts nothing). */
    public int inFlight() {
        return inFlight.get();
    }

    /** The limit; {@code 0} means unlimited. */
    public int limit() {
        return limit;
    }

    /** The route this limiter guards. */
    public String routeId() {
        return routeId;
    }

    private long retryAfterNanos() {
        long mean = meanHoldNanos.get();
        long stalled = nanoClock.getAsLong() - lastTurnoverNanos;
        long estimate = Math.max(mean == NO_SAMPLE ? 0 : mean, stalled);
        return Math.min(maxRetryAfterNanos, Math.max(minRetryAfterNanos, estimate));
    }

    private void refused() {
        listener.onAdmissionRejected(new AdmissionEvent(routeId, AdmissionEvent.Kind.CONCURRENCY_LIMITED,
                ErrorType.CONNECTION_LIMIT_REACHED.recommendedStatus(), RetryAfterSeconds.ofNanos(retryAfterNanos())));
    }

    private void release(long acquiredNanos) {
        long now = nanoClock.getAsLong();
        inFlight.decrementAndGet();
        lastTurnoverNanos = now;
        recordHold(Math.max(0, now - acquiredNanos));
    }

    private void recordHold(long sample) {
        for (;;) {
            long mean = meanHoldNanos.get();
            long next = mean == NO_SAMPLE ? sample : mean + ((sample - mean) >> EWMA_SHIFT);
            if (meanHoldNanos.compareAndSet(mean, next)) {
                return;
            }
        }
    }

    private static final class HeldPermit implements Permit {
        private static final AtomicIntegerFieldUpdater<HeldPermit> CLOSED =
                AtomicIntegerFieldUpdater.newUpdater(HeldPermit.class, "closed");

        private final ConcurrencyLimiter owner;
        private final long acquiredNanos;
        private volatile int closed;

        HeldPermit(ConcurrencyLimiter owner, long acquiredNanos) {
            this.owner = owner;
            this.acquiredNanos = acquiredNanos;
        }

        @Override
        public void close() {
            if (CLOSED.compareAndSet(this, 0, 1)) {
                owner.release(acquiredNanos);
            }
        }
    }
}
