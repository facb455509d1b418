package dev.upstreamguard.status;

import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.BackendFailureEvent;
import dev.upstreamguard.core.BackendFailureMode;
import dev.upstreamguard.core.CircuitEvent;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.Origin;
import dev.upstreamguard.core.OriginHeaderEvent;
import dev.upstreamguard.core.PanicEvent;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.RetryEvent;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.diagnostics.FailureLog;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * A {@link GuardListener} that remembers what a status page shows: failures per error type for each of the
 * last {@link #windowMinutes()} wall-clock minutes, the last {@link #recentCapacity()} failures with the
 * operator's log phrase, and counters of retries, budget denials, ejections, admission refusals and limit
 * backend failures. Memory is fixed at construction (two rings and a few counters); every method is
 * thread-safe and lock-free, fast enough for a request thread or an event loop.
 *
 * <p>Only configured ids, RFC 9209 tokens and our own phrases are kept: never an exception message, a host
 * or an address. An upstream id that is not an id (e.g. {@code 10.0.0.7:8080}) is kept as {@code null}.
 * Refusals by our own admission limits are counted per minute and in the counters but do not enter the
 * list of last failures, so a flood of 429s cannot push the upstream failures out of it (the failure log
 * makes the same choice).
 */
public final class FailureHistory implements GuardListener {
    /** Default number of minutes kept: {@value}. */
    public static final int DEFAULT_WINDOW_MINUTES = 15;
    /** Default number of last failures kept: {@value}. */
    public static final int DEFAULT_RECENT_CAPACITY = 50;
    /** Largest window: one day, {@value} minutes. */
    public static final int MAX_WINDOW_MINUTES = 1440;
    /** Largest number of last failures kept: {@value}. */
    public static final int MAX_RECENT_CAPACITY = 10_000;
    /** The guard's own events kept for the page (ejections, restorations, refusals). */
    public static final int RECENT_EVENTS = 50;

    private static final Pattern UPSTREAM_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final Clock clock;
    private final Instant since;
    private final MinuteRing minutes;
    private final RecentRing<RecentFailure> recent;
    /** The guard's own last events (ejections, restorations, refusals): bounded, {@value #RECENT_EVENTS} at most. */
    private final RecentRing<RecentEvent> recentEvents = new RecentRing<>(RECENT_EVENTS);
    private final int windowMinutes;
    private final int recentCapacity;

    private final LongAdder proxyFailures = new LongAdder();
    private final LongAdder upstream5xx = new LongAdder();
    private final LongAdder aborted = new LongAdder();
    private final LongAdder retriesScheduled = new LongAdder();
    private final LongAdder retriesSucceeded = new LongAdder();
    private final LongAdder retriesDeniedByBudget = new LongAdder();
    private final LongAdder retriesNotRetried = new LongAdder();
    private final LongAdder ejections = new LongAdder();
    private final LongAdder restorations = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder concurrencyLimited = new LongAdder();
    private final LongAdder circuitOpenings = new LongAdder();
    private final LongAdder circuitOpen = new LongAdder();
    private final LongAdder noHealthyUpstream = new LongAdder();
    private final LongAdder backendAllowed = new LongAdder();
    private final LongAdder backendDenied = new LongAdder();
    private final LongAdder originViolations = new LongAdder();

    /** The defaults on the system clock in UTC. */
    public FailureHistory() {
        this(Clock.systemUTC());
    }

    /** The defaults ({@value #DEFAULT_WINDOW_MINUTES} minutes, {@value #DEFAULT_RECENT_CAPACITY} failures) on {@code clock}. */
    public FailureHistory(Clock clock) {
        this(clock, DEFAULT_WINDOW_MINUTES, DEFAULT_RECENT_CAPACITY);
    }

    /**
     * A history on {@code clock} (its zone is the zone the page shows times in).
     *
     * @param windowMinutes  minutes of per-type counts, 1 to {@value #MAX_WINDOW_MINUTES}
     * @param recentCapacity last failures kept, 1 to {@value #MAX_RECENT_CAPACITY}
     * @throws IllegalArgumentException naming the value and its range
     */
    public FailureHistory(Clock clock, int windowMinutes, int recentCapacity) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (windowMinutes < 1 || windowMinutes > MAX_WINDOW_MINUTES) {
            throw new IllegalArgumentException("status window-minutes must be 1.." + MAX_WINDOW_MINUTES + ", was "
                    + windowMinutes);
        }
        if (recentCapacity < 1 || recentCapacity > MAX_RECENT_CAPACITY) {
            throw new IllegalArgumentException("status recent-failures must be 1.." + MAX_RECENT_CAPACITY + ", was "
                    + recentCapacity);
        }
        this.windowMinutes = windowMinutes;
        this.recentCapacity = recentCapacity;
        this.minutes = new MinuteRing(windowMinutes);
        this.recent = new RecentRing<>(recentCapacity);
        this.since = clock.instant();
    }

    /** The clock; its zone is the one the page shows times in. */
    public Clock clock() {
        return clock;
    }

    /** Minutes of per-type counts kept. */
    public int windowMinutes() {
        return windowMinutes;
    }

    /** Last failures kept. */
    public int recentCapacity() {
        return recentCapacity;
    }

    @Override
    public void onFailure(FailureEvent e) {
        Instant now = clock.instant();
        long minute = Math.floorDiv(now.getEpochSecond(), 60L);
        UpstreamFailure failure = e.failure();
        if (e.origin() == Origin.UPSTREAM || failure == null) {
            upstream5xx.increment();
            minutes.countUpstream5xx(minute);
            recent.add(new RecentFailure(now, e.routeId(), upstreamId(e.upstreamId()), StatusReport.UPSTREAM_5XX,
                    e.status(), null, Origin.UPSTREAM.tag(), false, e.attempt(), e.maxAttempts(),
                    "upstream answered " + e.status() + ", passed through"));
            return;
        }
        proxyFailures.increment();
        if (e.aborted()) {
            aborted.increment();
        }
        minutes.countFailure(minute, failure.type());
        if (failure.phase() == Phase.ADMISSION) {
            return;
        }
        String phrase = FailureLog.phrase(failure.type(), failure.phase())
                + (e.aborted() ? ", client response aborted after commit" : "");
        recent.add(new RecentFailure(now, e.routeId(), upstreamId(e.upstreamId()), failure.type().token(), e.status(),
                failure.phase().name().toLowerCase(Locale.ROOT), Origin.PROXY.tag(), e.aborted(), e.attempt(),
                e.maxAttempts(), phrase));
    }

    @Override
    public void onRetry(RetryEvent e) {
        switch (e.outcome()) {
            case SCHEDULED -> retriesScheduled.increment();
            case SUCCEEDED_AFTER_RETRY -> retriesSucceeded.increment();
            case DENIED_BY_BUDGET -> retriesDeniedByBudget.increment();
            case NOT_RETRIED -> retriesNotRetried.increment();
        }
    }

    @Override
    public void onHealthChange(HealthEvent e) {
        boolean ejected = e.kind() == HealthEvent.Kind.EJECTED;
        (ejected ? ejections : restorations).increment();
        recentEvents.add(new RecentEvent(clock.instant(), e.routeId(), e.kind().tag(), upstreamId(e.upstreamId()),
                ejected ? e.consecutiveFailures() + " consecutive failures, ejected for "
                        + StatusHtml.duration(e.ejectionMillis()) + " (ejection " + e.ejectionCount() + " in a row)"
                        : "back in rotation"));
    }

    @Override
    public void onPanicChange(PanicEvent e) {
        recentEvents.add(new RecentEvent(clock.instant(), e.routeId(), e.kind().tag(), null,
                e.kind() == PanicEvent.Kind.ENTERED
                        ? e.inRotation() + " of " + e.upstreams() + " upstreams in rotation: all take traffic"
                        : e.inRotation() + " of " + e.upstreams() + " upstreams in rotation: ejections apply again"));
    }

    @Override
    public void onCircuitChange(CircuitEvent e) {
        if (e.kind() == CircuitEvent.Kind.OPENED) {
            circuitOpenings.increment();
        }
    }

    @Override
    public void onAdmissionRejected(AdmissionEvent e) {
        switch (e.kind()) {
            case RATE_LIMITED -> rateLimited.increment();
            case CONCURRENCY_LIMITED -> concurrencyLimited.increment();
            case NO_HEALTHY_UPSTREAM -> noHealthyUpstream.increment();
            case CIRCUIT_OPEN -> circuitOpen.increment();
        }
        recentEvents.add(new RecentEvent(clock.instant(), e.routeId(), e.kind().tag(), null, "answered " + e.status()
                + (e.retryAfterSeconds() > 0 ? " with Retry-After " + e.retryAfterSeconds() + " s" : "")));
    }

    @Override
    public void onBackendFailure(BackendFailureEvent e) {
        (e.mode() == BackendFailureMode.DENY ? backendDenied : backendAllowed).increment();
    }

    @Override
    public void onOriginHeaderViolation(OriginHeaderEvent event) {
        originViolations.increment();
    }

    /** The window ending with the current minute, oldest first, always {@link #windowMinutes()} entries. */
    public List<MinuteCounts> minutes() {
        return minutes.window(Math.floorDiv(clock.instant().getEpochSecond(), 60L));
    }

    /** The last failures, newest first, at most {@link #recentCapacity()}. */
    public List<RecentFailure> recentFailures() {
        return recent.newestFirst();
    }

    /** The guard's last events (ejections, restorations, refusals), newest first, at most {@value #RECENT_EVENTS}. */
    public List<RecentEvent> recentEvents() {
        return recentEvents.newestFirst();
    }

    /** The counters now. */
    public StatusCounters counters() {
        return new StatusCounters(since, proxyFailures.sum(), upstream5xx.sum(), aborted.sum(), retriesScheduled.sum(),
                retriesSucceeded.sum(), retriesDeniedByBudget.sum(), retriesNotRetried.sum(), ejections.sum(),
                restorations.sum(), rateLimited.sum(), concurrencyLimited.sum(), noHealthyUpstream.sum(),
                backendAllowed.sum(), backendDenied.sum(), originViolations.sum(), circuitOpenings.sum(),
                circuitOpen.sum());
    }

    /** {@code id} when it looks like a configured upstream id, else {@code null} (never a host:port or an IP). */
    private static String upstreamId(String id) {
        if (id == null || !UPSTREAM_ID.matcher(id).matches() || IPV4_LITERAL.matcher(id).matches()) {
            return null;
        }
        return id;
    }
}
