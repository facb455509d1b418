package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.CircuitEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.lifecycle.FailureAttribution;
import dev.upstreamguard.core.policy.CircuitBreakerPolicy;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The opt-in circuit breaker of one route ({@link CircuitBreakerPolicy}): CLOSED, then OPEN after
 * {@code failureThreshold} failed requests in a row, then HALF_OPEN when {@code openDuration} is over, then
 * CLOSED again after a successful probe or OPEN again after a failed one.
 *
 * <p>Each request asks {@link #admit()} once and reports its outcome once, with the permit it got, by
 * {@link #onOutcome(Permit, Outcome)} — {@link Outcome#NONE} when it ended without saying anything about the
 * upstreams (the client went away, a limit refused it, our own verdict answered it), which gives a probe's place
 * back. Outcomes of requests admitted while CLOSED only count while it is still CLOSED; a probe's outcome only
 * counts in the half-open period it was let through in.
 *
 * <p>Every transition is one compare-and-set on an immutable snapshot, so each happens — and is reported
 * through {@link GuardListener#onCircuitChange} — exactly once, by the thread that made it, and no more than
 * {@code halfOpenProbes} probes are ever let through in one half-open period. Time is the guard's injected
 * clock, read lazily: there is no timer thread. A request admitted while CLOSED, and its success while nothing
 * failed, allocate nothing.
 */
public final class CircuitBreaker {

    /** The state of the circuit. */
    public enum State {
        /** Requests go through; failed requests in a row are counted. */
        CLOSED,
        /** Requests are answered at admission, without reaching an upstream. */
        OPEN,
        /** A few probe requests go through; the others are still answered at admission. */
        HALF_OPEN
    }

    /** What a request that went through says about the upstreams. */
    public enum Outcome {
        /** Nothing: it never reached an upstream's answer, or failed for a reason that is not the upstream's. */
        NONE,
        /** An upstream answered (a 5xx counts as a failure only with {@code health.count-upstream-5xx}). */
        SUCCESS,
        /** A gateway failure the upstream is to blame for ({@link FailureAttribution}), or a counted 5xx. */
        FAILURE;

        /** The outcome of a request answered with {@code failure}: a failure when it counts against the upstream. */
        public static Outcome of(UpstreamFailure failure) {
            return FailureAttribution.countsAgainstUpstream(failure) ? FAILURE : NONE;
        }

        /** The outcome of an upstream answer with {@code status}. */
        public static Outcome ofStatus(int status, boolean count5xx) {
            return status >= 500 && count5xx ? FAILURE : SUCCESS;
        }
    }

    /** The answer of {@link #admit()}: go through (as an ordinary request or as a probe), or be refused. */
    public static final class Permit {
        private static final Permit PASS = new Permit(true, false, 0, 0);
        private static final Permit REFUSED_PROBING = new Permit(false, true, 0, TimeUnit.SECONDS.toNanos(1));

        private final boolean admitted;
        private final boolean probe;
        private final long generation;
        private final long retryAfterNanos;

        private Permit(boolean admitted, boolean probe, long generation, long retryAfterNanos) {
            this.admitted = admitted;
            this.probe = probe;
            this.generation = generation;
            this.retryAfterNanos = retryAfterNanos;
        }

        /** Whether the request goes through. */
        public boolean admitted() {
            return admitted;
        }

        /** For an admitted request: whether it is a half-open probe; for a refused one: whether it was refused half-open. */
        public boolean probe() {
            return probe;
        }

        /** For a refused request: how long until it is worth trying again (the time left open; 1 s while half-open). */
        public Duration retryAfter() {
            return Duration.ofNanos(retryAfterNanos);
        }
    }

    /**
     * @param state       the state
     * @param failures    failed requests in a row while CLOSED; what opened it while OPEN
     * @param until       while OPEN, the clock reading at which it turns half-open
     * @param probes      while HALF_OPEN, probes let through so far (and not given back)
     * @param generation  counts the half-open periods, so a late probe of an earlier one changes nothing
     */
    private record Snapshot(State state, int failures, long until, int probes, long generation) {
    }

    private final String routeId;
    private final CircuitBreakerPolicy policy;
    private final LongSupplier nanoClock;
    private final GuardListener listener;
    private final long openNanos;
    private final AtomicReference<Snapshot> state = new AtomicReference<>(new Snapshot(State.CLOSED, 0, 0, 0, 0));

    /**
     * @param routeId   the route's configured id, used in events
     * @param policy    the breaker's settings (enabled or not: a packaging builds one only when enabled)
     * @param nanoClock a monotonic clock in nanoseconds, e.g. the guard's
     * @param listener  receives {@link CircuitEvent}s; must be fast and must not throw or call back
     */
    public CircuitBreaker(String routeId, CircuitBreakerPolicy policy, LongSupplier nanoClock, GuardListener listener) {
        this.routeId = Objects.requireNonNull(routeId, "routeId");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.openNanos = policy.openDuration().toNanos();
    }

    /** The settings. */
    public CircuitBreakerPolicy policy() {
        return policy;
    }

    /**
     * Admits a request, or refuses it: CLOSED admits; OPEN refuses with the time left open until that time is
     * over, then turns HALF_OPEN and admits this request as its first probe; HALF_OPEN admits probes up to
     * {@code halfOpenProbes} and refuses the others with 1 s.
     */
    public Permit admit() {
        for (;;) {
            Snapshot s = state.get();
            switch (s.state) {
                case CLOSED:
                    return Permit.PASS;
                case OPEN: {
                    long left = s.until - nanoClock.getAsLong();
                    if (left > 0) {
                        return new Permit(false, false, 0, left);
                    }
                    Snapshot halfOpen = new Snapshot(State.HALF_OPEN, 0, 0, 1, s.generation + 1);
                    if (state.compareAndSet(s, halfOpen)) {
                        listener.onCircuitChange(new CircuitEvent(routeId, CircuitEvent.Kind.HALF_OPEN, 0, 0L));
                        return new Permit(true, true, halfOpen.generation, 0);
                    }
                    break;
                }
                default: {
                    if (s.probes >= policy.halfOpenProbes()) {
                        return Permit.REFUSED_PROBING;
                    }
                    Snapshot more = new Snapshot(State.HALF_OPEN, 0, 0, s.probes + 1, s.generation);
                    if (state.compareAndSet(s, more)) {
                        return new Permit(true, true, s.generation, 0);
                    }
                    break;
                }
            }
        }
    }

    /**
     * What an admitted request ended with; call once per admitted request, however it ended. While CLOSED, a
     * failure adds to the run (the one that completes it opens the circuit) and a success ends the run. A probe's
     * success closes the circuit, its failure opens it again, and {@link Outcome#NONE} gives its place back to
     * the next request.
     */
    public void onOutcome(Permit permit, Outcome outcome) {
        Objects.requireNonNull(permit, "permit");
        Objects.requireNonNull(outcome, "outcome");
        if (!permit.admitted) {
            return;
        }
        if (permit.probe) {
            probeEnded(permit, outcome);
            return;
        }
        if (outcome == Outcome.NONE) {
            return;
        }
        for (;;) {
            Snapshot s = state.get();
            if (s.state != State.CLOSED) {
                return; // admitted before it opened: the run that opened it is already decided
            }
            if (outcome == Outcome.SUCCESS) {
                if (s.failures == 0 || state.compareAndSet(s, new Snapshot(State.CLOSED, 0, 0, 0, s.generation))) {
                    return;
                }
                continue;
            }
            int failures = s.failures + 1;
            if (failures < policy.failureThreshold()) {
                if (state.compareAndSet(s, new Snapshot(State.CLOSED, failures, 0, 0, s.generation))) {
                    return;
                }
                continue;
            }
            if (open(s, failures)) {
                return;
            }
        }
    }

    private void probeEnded(Permit permit, Outcome outcome) {
        for (;;) {
            Snapshot s = state.get();
            if (s.state != State.HALF_OPEN || s.generation != permit.generation) {
                return; // another probe of its period decided already
            }
            if (outcome == Outcome.NONE) {
                if (state.compareAndSet(s, new Snapshot(State.HALF_OPEN, 0, 0, s.probes - 1, s.generation))) {
                    return;
                }
            } else if (outcome == Outcome.FAILURE) {
                if (open(s, 1)) {
                    return;
                }
            } else if (state.compareAndSet(s, new Snapshot(State.CLOSED, 0, 0, 0, s.generation))) {
                listener.onCircuitChange(new CircuitEvent(routeId, CircuitEvent.Kind.CLOSED, 0, 0L));
                return;
            }
        }
    }

    private boolean open(Snapshot from, int failures) {
        Snapshot open = new Snapshot(State.OPEN, failures, nanoClock.getAsLong() + openNanos, 0, from.generation);
        if (!state.compareAndSet(from, open)) {
            return false;
        }
        listener.onCircuitChange(new CircuitEvent(routeId, CircuitEvent.Kind.OPENED, failures,
                TimeUnit.NANOSECONDS.toMillis(openNanos)));
        return true;
    }

    /** The state now (an OPEN circuit whose time is over reads HALF_OPEN only once a request asked). */
    public State state() {
        return state.get().state;
    }

    /** Failed requests in a row counted while CLOSED (0 otherwise). */
    public int consecutiveFailures() {
        Snapshot s = state.get();
        return s.state == State.CLOSED ? s.failures : 0;
    }

    /** While OPEN, the time left before probes are let through; otherwise zero. */
    public Duration remainingOpen() {
        Snapshot s = state.get();
        return s.state == State.OPEN ? Duration.ofNanos(Math.max(0, s.until - nanoClock.getAsLong())) : Duration.ZERO;
    }

    @Override
    public String toString() {
        Snapshot s = state.get();
        return "CircuitBreaker[" + routeId + ", " + s.state + ", failures=" + s.failures + ", probes=" + s.probes + "]";
    }
}
