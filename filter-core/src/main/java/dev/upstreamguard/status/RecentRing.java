package dev.upstreamguard.status;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code capacity} failures: a ring written by sequence number, lock-free. A reader takes the
 * entries whose sequence is among the last {@code capacity} issued; one being written at that moment may
 * be missing from that snapshot.
 */
final class RecentRing<T> {
    private record Entry<T>(long sequence, T item) {
    }

    private final AtomicReferenceArray<Entry<T>> slots;
    private final AtomicLong next = new AtomicLong();

    RecentRing(int capacity) {
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    void add(T item) {
        long sequence = next.getAndIncrement();
        slots.set((int) (sequence % slots.length()), new Entry<>(sequence, item));
    }

    /** Newest first. */
    List<T> newestFirst() {
        long end = next.get();
        long start = Math.max(0L, end - slots.length());
        List<T> out = new ArrayList<>((int) (end - start));
        for (long sequence = end - 1; sequence >= start; sequence--) {
            Entry<T> entry = slots.get((int) (sequence % slots.length()));
            if (entry != null && entry.sequence() == sequence) {
                out.add(entry.item());
            }
        }
        return out;
    }
}
