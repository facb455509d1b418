package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.PanicEvent;
import dev.upstreamguard.core.Selection;
import dev.upstreamguard.core.Upstream;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamHealth;
import dev.upstreamguard.core.policy.PassiveHealthPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The upstreams of one route, their passive health, and the choice of the next one to try.
 *
 * <h2>Rotation</h2>
 * {@link #select} goes round-robin over the upstreams in rotation, skipping those the request already
 * tried, so a retry goes to a different upstream when one is healthy.
 *
 * <h2>Passive health</h2>
 * <ul>
 *   <li>An upstream is ejected after {@link PassiveHealthPolicy#consecutiveFailures()} failures in a row
 *       that {@link FailureAttribution#countsAgainstUpstream count against it} (and upstream 5xx when
 *       {@link PassiveHealthPolicy#countUpstream5xx()}); any other answer ends the run.</li>
 *   <li>The {@code k}-th ejection of a streak lasts {@link PassiveHealthPolicy#ejectionTime(int)}. The
 *       failure count starts again from 0 at ejection, so a returning upstream needs a full run of failures
 *       to go out again, but for longer. The streak ends (back to the base time) when the upstream answers
 *       after having been back at least as long as its last ejection lasted.</li>
 *   <li>At most {@link PassiveHealthPolicy#maxEjected(int)} upstreams are out at once, and never the only
 *       upstream of a route. An upstream held in by the cap keeps counting and is ejected by its next failure
 *       once there is room.</li>
 *   <li>Panic: when fewer than {@link PassiveHealthPolicy#panicThresholdPercent()} of the upstreams are in
 *       rotation, {@link #select} ignores ejections and rotates over all of them, so passive health never
 *       turns a partial failure into a refused route. {@link #select} answers none only when every upstream
 *       is ejected and the threshold is 0 (an operator's explicit choice).</li>
 *   <li>Ejected upstreams return when their time is up, checked lazily on every call with the injected
 *       clock; there is no timer thread.</li>
 *   <li>Failures and successes reported for an upstream while it is out (requests that were in flight)
 *       change nothing.</li>
 * </ul>
 *
 * <h2>Concurrency</h2>
 * Each upstream's state is an immutable {@link EjectionState} behind an {@link AtomicReference}; every
 * change is a compare-and-set, so no update is lost and each ejection and restoration happens — and is
 * reported through {@link GuardListener#onHealthChange} — exactly once, by the thread that made it. The cap
 * is a route-wide count of ejected upstreams: a slot is reserved by compare-and-set on that count before
 * the upstream's state is set to ejected (and given back if that fails), and given back only after the
 * state is set to restored and the {@code RESTORED} event was sent. So the ejected upstreams — and the
 * {@code EJECTED} minus {@code RESTORED} events a listener has seen — never outnumber the count, and the
 * count never passes the cap except in the all-failing case. Nothing blocks; {@link #select} and
 * successful answers allocate nothing.
 */
public final class UpstreamPool {
    private final String routeId;
    private final List<Upstream> upstreams;
    private final PassiveHealthPolicy policy;
    private final LongSupplier nanoClock;
    private final GuardListener listener;
    private final Member[] members;
    private final Map<String, Member> byId;
    private final int maxEjected;
    private final AtomicInteger cursor = new AtomicInteger();
    private final Object panicLock = new Object();
    private volatile boolean inPanic;
    private final AtomicInteger ejectedCount = new AtomicInteger();

    /**
     * @param routeId   the route's configured id (low cardinality), used in events
     * @param upstreams one or more upstreams with distinct ids, in rotation order
     * @param policy    the passive health settings
     * @param nanoClock a monotonic clock in nanoseconds, e.g. {@code System::nanoTime}
     * @param listener  receives {@link HealthEvent}s; must be fast and must not throw or call back
     */
    public UpstreamPool(String routeId, List<Upstream> upstreams, PassiveHealthPolicy policy, LongSupplier nanoClock,
                        GuardListener listener) {
        this.routeId = Objects.requireNonNull(routeId, "routeId");
        if (routeId.isBlank()) {
            throw new IllegalArgumentException("routeId must not be blank");
        }
        this.upstreams = List.copyOf(Objects.requireNonNull(upstreams, "upstreams"));
        if (this.upstreams.isEmpty()) {
            throw new IllegalArgumentException("route '" + routeId + "' must have at least one upstream");
        }
        this.policy = Objects.requireNonNull(policy, "policy");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.members = new Member[this.upstreams.size()];
        Map<String, Member> index = new HashMap<>();
        for (int i = 0; i < members.length; i++) {
            Upstream upstream = this.upstreams.get(i);
            members[i] = new Member(upstream);
            if (index.put(upstream.id(), members[i]) != null) {
                throw new IllegalArgumentException("route '" + routeId + "' has two upstreams with id '"
                        + upstream.id() + "'");
            }
        }
        this.byId = Map.copyOf(index);
        this.maxEjected = policy.maxEjected(members.length);
    }

    /** The route's configured id. */
    public String routeId() {
        return routeId;
    }

    /** The route's upstreams in rotation order. */
    public List<Upstream> upstreams() {
        return upstreams;
    }

    /** The passive health settings. */
    public PassiveHealthPolicy policy() {
        return policy;
    }

    /**
     * The next upstream to try: round-robin over the upstreams in rotation, skipping those whose ids are in
     * {@code triedIds}. When every upstream in rotation was tried, an ejected one the request has not tried is
     * chosen (an upstream ejected for its own faults may be the only one still answering while the others are
     * down), and only then a tried one in rotation again (so a single-upstream route can retry). Never an ejected upstream unless the route is in panic (then all
     * take traffic); when all are out with a panic threshold of 0, none, with the exact time until the first
     * returns.
     *
     * @param triedIds ids of the upstreams this request already tried; may be empty, not {@code null}
     */
    public Selection select(Collection<String> triedIds) {
        Objects.requireNonNull(triedIds, "triedIds");
        long now = nanoClock.getAsLong();
        int inRotation = 0;
        for (Member m : members) {
            if (!observe(m, now).ejected()) {
                inRotation++;
            }
        }
        boolean panic = policy.panics(inRotation, members.length);
        if (panic != inPanic) {
            panicChanged(panic, inRotation);
        }
        if (inRotation == 0 && !panic) {
            return unavailable(now);
        }
        int start = panic ? Math.floorMod(cursor.getAndIncrement(), members.length)
                : nthInRotation(Math.floorMod(cursor.getAndIncrement(), inRotation), now);
        Member fallback = null;
        for (int step = 0; step < members.length; step++) {
            Member m = members[(start + step) % members.length];
            if (!panic && m.state.get().ejectedAt(now)) {
                continue;
            }
            if (triedIds.isEmpty() || !triedIds.contains(m.upstream.id())) {
                return m.selection;
            }
            if (fallback == null) {
                fallback = m;
            }
        }
        if (!triedIds.isEmpty()) {
            // a retry whose request has tried every upstream in rotation goes to an ejected one it has not tried
            // before it repeats one: an upstream ejected for its own faults may be the only one still answering
            for (int step = 0; step < members.length; step++) {
                Member m = members[(start + step) % members.length];
                if (!triedIds.contains(m.upstream.id())) {
                    return m.selection;
                }
            }
        }
        return fallback != null ? fallback.selection : unavailable(now);
    }

    /** Reports entering or leaving panic once, from the thread whose selection saw the change. */
    private void panicChanged(boolean panic, int inRotation) {
        synchronized (panicLock) {
            if (panic == inPanic) {
                return;
            }
            inPanic = panic;
        }
        listener.onPanicChange(new PanicEvent(routeId, panic ? PanicEvent.Kind.ENTERED : PanicEvent.Kind.LEFT,
                inRotation, members.length));
    }

    /** Whether the route is in panic mode as of the last selection (too few upstreams in rotation). */
    public boolean inPanic() {
        return inPanic;
    }

    private int nthInRotation(int n, long now) {
        int seen = 0;
        for (int i = 0; i < members.length; i++) {
            if (!members[i].state.get().ejectedAt(now) && seen++ == n) {
                return i;
            }
        }
        return 0; // another thread ejected some meanwhile: start anywhere, the scan still skips them
    }

    private Selection unavailable(long now) {
        long soonest = Long.MAX_VALUE;
        for (Member m : members) {
            EjectionState s = m.state.get();
            if (!s.ejectedAt(now)) {
                return m.selection; // returned meanwhile (another thread's clock was later)
            }
            soonest = Math.min(soonest, s.remainingNanos(now));
        }
        return Selection.none(Duration.ofNanos(soonest));
    }

    /**
     * Records a gateway failure of an attempt on {@code upstream}. Only failures that
     * {@link FailureAttribution#countsAgainstUpstream count against it} are counted; others change nothing,
     * so callers may report every classified failure. The failure that completes a run of
     * {@link PassiveHealthPolicy#consecutiveFailures()} ejects the upstream, within the cap.
     *
     * @throws IllegalArgumentException when {@code upstream} is not one of this route's
     */
    public void onFailure(Upstream upstream, UpstreamFailure failure) {
        Member m = member(upstream);
        Objects.requireNonNull(failure, "failure");
        if (policy.enabled() && FailureAttribution.countsAgainstUpstream(failure)) {
            recordFailure(m, nanoClock.getAsLong());
        }
    }

    /**
     * Records an answer from {@code upstream}. A 5xx counts as a failure only when
     * {@link PassiveHealthPolicy#countUpstream5xx()} (every 500–599, since RFC 9110 §15.6 makes them all
     * server errors); any other answer shows the upstream alive: it ends the failure run, and it ends the
     * ejection streak once the upstream has been back in rotation at least as long as its last ejection
     * lasted (so an upstream that flaps between ejections keeps getting longer ones).
     *
     * @param status the upstream's status code, 100–599
     * @throws IllegalArgumentException when {@code upstream} is not one of this route's
     */
    public void onResponse(Upstream upstream, int status) {
        Member m = member(upstream);
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100-599, was " + status);
        }
        if (!policy.enabled()) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (status >= 500 && policy.countUpstream5xx()) {
            recordFailure(m, now);
            return;
        }
        for (;;) {
            EjectionState current = observe(m, now);
            EjectionState next = current.ejected() ? current : current.afterSuccess(now);
            if (next == current || m.state.compareAndSet(current, next)) {
                return;
            }
        }
    }

    /** A snapshot of every upstream's health, in rotation order (returns those whose time is up first). */
    public List<UpstreamHealth> health() {
        long now = nanoClock.getAsLong();
        List<UpstreamHealth> snapshot = new ArrayList<>(members.length);
        for (Member m : members) {
            EjectionState s = observe(m, now);
            snapshot.add(new UpstreamHealth(m.upstream, s.ejected(), s.consecutiveFailures(), s.ejectionCount(),
                    Duration.ofNanos(s.remainingNanos(now))));
        }
        return List.copyOf(snapshot);
    }

    /** The route-wide count of ejection slots in use; for tests. */
    int ejectedCount() {
        return ejectedCount.get();
    }

    private Member member(Upstream upstream) {
        Objects.requireNonNull(upstream, "upstream");
        Member m = byId.get(upstream.id());
        if (m == null || (m.upstream != upstream && !m.upstream.equals(upstream))) {
            throw new IllegalArgumentException("upstream '" + upstream.id() + "' is not one of route '" + routeId + "'");
        }
        return m;
    }

    private void recordFailure(Member m, long now) {
        int threshold = policy.consecutiveFailures();
        for (;;) {
            EjectionState current = observe(m, now);
            if (current.ejected()) {
                return; // an attempt that was in flight when it went out
            }
            EjectionState failed = current.withFailure();
            if (failed.consecutiveFailures() < threshold || !reserveEjection(now)) {
                if (m.state.compareAndSet(current, failed)) {
                    return;
                }
                continue;
            }
            long duration = policy.ejectionNanos(current.ejectionCount() + 1);
            EjectionState out = current.ejected(now, duration);
            if (m.state.compareAndSet(current, out)) {
                listener.onHealthChange(new HealthEvent(routeId, m.upstream.id(), HealthEvent.Kind.EJECTED,
                        failed.consecutiveFailures(), TimeUnit.NANOSECONDS.toMillis(duration), out.ejectionCount()));
                return;
            }
            ejectedCount.decrementAndGet(); // lost the race for this upstream's state: give the slot back
        }
    }

    /** Takes one ejection slot if the cap allows it. */
    private boolean reserveEjection(long now) {
        for (Member m : members) {
            observe(m, now); // slots of upstreams whose time is up are given back first
        }
        for (;;) {
            int taken = ejectedCount.get();
            if (taken >= maxEjected) {
                return false;
            }
            if (ejectedCount.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
    }

    /** The state at {@code now}, after returning the upstream to rotation if its time is up. */
    private EjectionState observe(Member m, long now) {
        for (;;) {
            EjectionState current = m.state.get();
            if (!current.restorationDue(now)) {
                return current;
            }
            EjectionState back = current.restored();
            if (m.state.compareAndSet(current, back)) {
                try {
                    listener.onHealthChange(new HealthEvent(routeId, m.upstream.id(), HealthEvent.Kind.RESTORED,
                            0, 0L, back.ejectionCount()));
                } finally {
                    ejectedCount.decrementAndGet(); // after the event: see the class comment
                }
                return back;
            }
        }
    }

    /** One upstream with its state and its ready-made selection (so select allocates nothing). */
    private static final class Member {
        final Upstream upstream;
        final Selection selection;
        final AtomicReference<EjectionState> state = new AtomicReference<>(EjectionState.HEALTHY);

        Member(Upstream upstream) {
            this.upstream = upstream;
            this.selection = Selection.of(upstream);
        }
    }

    @Override
    public String toString() {
        return "UpstreamPool[" + routeId + ", " + members.length + " upstreams, " + ejectedCount.get() + " ejected]";
    }
}
