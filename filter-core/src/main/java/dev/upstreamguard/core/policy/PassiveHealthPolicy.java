package dev.upstreamguard.core.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * How passive health checking treats a route's upstreams. No RFC defines it; the defaults
 * are ours and documented on the constants.
 *
 * <p>An upstream is ejected after {@code consecutiveFailures} gateway failures in a row (see
 * {@link dev.upstreamguard.core.lifecycle.FailureAttribution#countsAgainstUpstream}). Its {@code k}-th ejection in a streak lasts
 * {@code baseEjection * 2^(k-1)}, capped at {@code maxEjection} ({@link #ejectionTime(int)}). At most
 * {@link #maxEjected(int)} upstreams of a route are out at once, and the only upstream of a route is never
 * ejected: passive health moves traffic between upstreams, it never takes a route down by itself. When
 * fewer than {@code panicThresholdPercent} of a route's upstreams are in rotation, the route is in panic
 * and traffic goes to all of them again (see {@link #panics(int, int)}).
 *
 * @param enabled             whether upstreams are ever ejected; when off, rotation still works
 * @param consecutiveFailures failures in a row that eject an upstream, 1 to {@value #MAX_CONSECUTIVE_FAILURES}
 * @param baseEjection        the first ejection's length, 1 ms to 1 day, at most {@code maxEjection}
 * @param maxEjection         the longest ejection, 1 ms to 1 day, at least {@code baseEjection}
 * @param maxEjectedPercent   the share of a route's upstreams that may be out at once, 0 to 100
 * @param countUpstream5xx    whether a 5xx the upstream answered itself counts as a failure
 * @param panicThresholdPercent below this share of upstreams in rotation (0 to 100), ejections are ignored and
 *                            traffic goes to every upstream; 0 never panics
 */
public record PassiveHealthPolicy(boolean enabled, int consecutiveFailures, Duration baseEjection,
                                  Duration maxEjection, int maxEjectedPercent, boolean countUpstream5xx,
                                  int panicThresholdPercent) {
    /** Default failures in a row that eject an upstream: {@value}. */
    public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
    /** Default first ejection: 30 s. */
    public static final Duration DEFAULT_BASE_EJECTION = Duration.ofSeconds(30);
    /** Default longest ejection: 5 min. */
    public static final Duration DEFAULT_MAX_EJECTION = Duration.ofMinutes(5);
    /** Default share of a route that may be out at once: {@value} %. */
    public static final int DEFAULT_MAX_EJECTED_PERCENT = 50;
    /** Default panic threshold: below {@value} % of a route's upstreams in rotation, traffic goes to all of them. */
    public static final int DEFAULT_PANIC_THRESHOLD_PERCENT = 50;
    /** The largest accepted {@code consecutiveFailures}: {@value}. */
    public static final int MAX_CONSECUTIVE_FAILURES = 1000;

    private static final Duration SHORTEST = Duration.ofMillis(1);
    private static final Duration LONGEST = Duration.ofDays(1);
    private static final PassiveHealthPolicy DEFAULTS = new PassiveHealthPolicy(true, DEFAULT_CONSECUTIVE_FAILURES,
            DEFAULT_BASE_EJECTION, DEFAULT_MAX_EJECTION, DEFAULT_MAX_EJECTED_PERCENT, false,
            DEFAULT_PANIC_THRESHOLD_PERCENT);

    /** Checks every value, naming the field and the accepted range. */
    public PassiveHealthPolicy {
        if (consecutiveFailures < 1 || consecutiveFailures > MAX_CONSECUTIVE_FAILURES) {
            throw new IllegalArgumentException("consecutiveFailures must be between 1 and " + MAX_CONSECUTIVE_FAILURES
                    + ", was " + consecutiveFailures);
        }
        checkDuration("baseEjection", baseEjection);
        checkDuration("maxEjection", maxEjection);
        if (maxEjection.compareTo(baseEjection) < 0) {
            throw new IllegalArgumentException("maxEjection must be at least baseEjection (" + baseEjection + "), was "
                    + maxEjection);
        }
        if (maxEjectedPercent < 0 || maxEjectedPercent > 100) {
            throw new IllegalArgumentException("maxEjectedPercent must be between 0 and 100, was " + maxEjectedPercent);
        }
        if (panicThresholdPercent < 0 || panicThresholdPercent > 100) {
            throw new IllegalArgumentException("panicThresholdPercent must be between 0 and 100, was "
                    + panicThresholdPercent);
        }
    }

    /** A policy with the default panic threshold ({@value #DEFAULT_PANIC_THRESHOLD_PERCENT} %). */
    public PassiveHealthPolicy(boolean enabled, int consecutiveFailures, Duration baseEjection, Duration maxEjection,
                               int maxEjectedPercent, boolean countUpstream5xx) {
        this(enabled, consecutiveFailures, baseEjection, maxEjection, maxEjectedPercent, countUpstream5xx,
                DEFAULT_PANIC_THRESHOLD_PERCENT);
    }

    private static void checkDuration(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(SHORTEST) < 0 || value.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException(name + " must be between 1 ms and 1 day, was " + value);
        }
    }

    /** Enabled: 5 failures in a row, 30 s growing to 5 min, at most 50 %, panic below 50 %, upstream 5xx not counted. */
    public static PassiveHealthPolicy defaults() {
        return DEFAULTS;
    }

    /** The defaults with ejection switched off: the pool only rotates. */
    public static PassiveHealthPolicy disabled() {
        return new PassiveHealthPolicy(false, DEFAULT_CONSECUTIVE_FAILURES, DEFAULT_BASE_EJECTION,
                DEFAULT_MAX_EJECTION, DEFAULT_MAX_EJECTED_PERCENT, false, DEFAULT_PANIC_THRESHOLD_PERCENT);
    }

    /**
     * How long the {@code ejectionNumber}-th ejection of a streak lasts: {@code baseEjection} doubled for each
     * earlier ejection of the streak, never more than {@code maxEjection}.
     *
     * @param ejectionNumber 1 for the first ejection of a streak
     */
    public Duration ejectionTime(int ejectionNumber) {
        return Duration.ofNanos(ejectionNanos(ejectionNumber));
    }

    /**
     * {@link #ejectionTime} in nanoseconds, without allocating.
     *
     * @param ejectionNumber 1 for the first ejection of a streak
     * @return the ejection time in nanoseconds
     */
    public long ejectionNanos(int ejectionNumber) {
        if (ejectionNumber < 1) {
            throw new IllegalArgumentException("ejectionNumber must be >= 1, was " + ejectionNumber);
        }
        long max = maxEjection.toNanos();
        long time = baseEjection.toNanos();
        for (int i = 1; i < ejectionNumber && time < max; i++) {
            time = time > max / 2 ? max : time * 2;
        }
        return Math.min(time, max);
    }

    /**
     * The most upstreams of a route of {@code upstreams} that may be ejected at once: {@code maxEjectedPercent}
     * of them rounded down, but at least one when the percentage is above 0 and the route has two or more,
     * so that a small route can still take a failing upstream out. Never the only upstream of a route (as
     * nginx never marks the only server of a group down): with nowhere else to send the request, ejecting it
     * would turn a failing upstream into a refused route. 0 % never ejects.
     */
    public int maxEjected(int upstreams) {
        if (upstreams < 1) {
            throw new IllegalArgumentException("upstreams must be >= 1, was " + upstreams);
        }
        if (maxEjectedPercent == 0 || upstreams == 1) {
            return 0;
        }
        return Math.min(upstreams, Math.max(1, (int) ((long) upstreams * maxEjectedPercent / 100)));
    }

    /**
     * Whether a route with {@code inRotation} of {@code upstreams} not ejected is in panic: fewer than
     * {@code panicThresholdPercent} of them are in rotation, so ejections are ignored and every upstream
     * takes traffic again (the panic threshold of Envoy's load balancers). Never when all are in rotation.
     */
    public boolean panics(int inRotation, int upstreams) {
        return inRotation < upstreams && (long) inRotation * 100 < (long) panicThresholdPercent * upstreams;
    }
}
