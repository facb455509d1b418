package dev.upstreamguard.core.lifecycle;

/**
 * The passive health of one upstream at one moment, immutable so that a compare-and-set on a reference to
 * it changes all fields at once. Times are {@link System#nanoTime()}-style values, compared by subtraction.
 *
 * @param consecutiveFailures counted failures since the last success, restoration or ejection
 * @param ejectionCount       ejections in the current streak
 * @param ejected             out of rotation (possibly due to return: see {@link #restorationDue})
 * @param ejectedUntil        when the last ejection ends (meaningful once {@code ejectionCount > 0})
 * @param lastEjectionNanos   how long the last ejection lasted
 */
record EjectionState(int consecutiveFailures, int ejectionCount, boolean ejected, long ejectedUntil,
                     long lastEjectionNanos) {

    static final EjectionState HEALTHY = new EjectionState(0, 0, false, 0L, 0L);

    /** Out of rotation at {@code now}. */
    boolean ejectedAt(long now) {
        return ejected && now - ejectedUntil < 0;
    }

    /** Marked ejected, but its time is up at {@code now}. */
    boolean restorationDue(long now) {
        return ejected && now - ejectedUntil >= 0;
    }

    /** Time left out of rotation at {@code now}; 0 when in rotation. */
    long remainingNanos(long now) {
        return ejectedAt(now) ? ejectedUntil - now : 0L;
    }

    EjectionState restored() {
        return new EjectionState(0, ejectionCount, false, ejectedUntil, lastEjectionNanos);
    }

    EjectionState withFailure() {
        int failures = consecutiveFailures == Integer.MAX_VALUE ? consecutiveFailures : consecutiveFailures + 1;
        return new EjectionState(failures, ejectionCount, false, ejectedUntil, lastEjectionNanos);
    }

    EjectionState ejected(long now, long durationNanos) {
        int count = ejectionCount == Integer.MAX_VALUE ? ejectionCount : ejectionCount + 1;
        return new EjectionState(0, count, true, now + durationNanos, durationNanos);
    }

    /**
     * After an answer that is not a failure: the failure run ends, and the ejection streak ends once the
     * upstream has been back in rotation at least as long as its last ejection lasted. Returns
     * {@code this} when nothing changes, so the common case neither allocates nor writes.
     */
    EjectionState afterSuccess(long now) {
        boolean streakOver = ejectionCount > 0 && now - ejectedUntil - lastEjectionNanos >= 0;
        if (consecutiveFailures == 0 && !streakOver) {
            return this;
        }
        return new EjectionState(0, streakOver ? 0 : ejectionCount, false, ejectedUntil, lastEjectionNanos);
    }
}
