package dev.upstreamguard.status;

import dev.upstreamguard.core.ErrorType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Counts per error type for the last {@code size} wall-clock minutes: one slot per minute, reused when the
 * minute comes round again, so memory never grows. Lock-free: a slot holding an older minute is replaced by
 * compare-and-set. An increment racing with the replacement of its slot a whole window later may be lost;
 * that cannot happen within one window.
 */
final class MinuteRing {
    private static final ErrorType[] TYPES = ErrorType.values();
    /** The index of the passed-through upstream 5xx count, after the error types. */
    private static final int UPSTREAM_5XX = TYPES.length;

    private final AtomicReferenceArray<Slot> slots;

    MinuteRing(int size) {
        this.slots = new AtomicReferenceArray<>(size);
    }

    private static final class Slot {
        final long minute;
        final AtomicLongArray counts = new AtomicLongArray(TYPES.length + 1);

        Slot(long minute) {
            this.minute = minute;
        }
    }

    void countFailure(long minute, ErrorType type) {
        slotFor(minute, type.ordinal());
    }

    void countUpstream5xx(long minute) {
        slotFor(minute, UPSTREAM_5XX);
    }

    private void slotFor(long minute, int series) {
        int index = (int) Math.floorMod(minute, (long) slots.length());
        for (;;) {
            Slot slot = slots.get(index);
            if (slot != null && slot.minute == minute) {
                slot.counts.incrementAndGet(series);
                return;
            }
            if (slot != null && slot.minute > minute) {
                return; // the clock went back a whole window: too old to show
            }
            Slot fresh = new Slot(minute);
            fresh.counts.set(series, 1);
            if (slots.compareAndSet(index, slot, fresh)) {
                return;
            }
        }
    }

    /** The window ending with {@code currentMinute}, oldest first; minutes without events count zero. */
    List<MinuteCounts> window(long currentMinute) {
        int size = slots.length();
        List<MinuteCounts> out = new ArrayList<>(size);
        for (long minute = currentMinute - size + 1; minute <= currentMinute; minute++) {
            Slot slot = slots.get((int) Math.floorMod(minute, (long) size));
            Map<String, Long> byError = new LinkedHashMap<>();
            long upstream = 0;
            if (slot != null && slot.minute == minute) {
                for (ErrorType type : TYPES) {
                    long n = slot.counts.get(type.ordinal());
                    if (n > 0) {
                        byError.put(type.token(), n);
                    }
                }
                upstream = slot.counts.get(UPSTREAM_5XX);
            }
            out.add(new MinuteCounts(Instant.ofEpochSecond(minute * 60L), byError, upstream));
        }
        return out;
    }
}
