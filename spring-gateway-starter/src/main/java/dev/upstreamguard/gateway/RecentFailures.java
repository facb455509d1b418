package dev.upstreamguard.gateway;

import dev.upstreamguard.core.events.FailureEvent;
import dev.upstreamguard.core.events.GuardListener;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A listener that remembers what the actuator endpoint and the health contributor show: failure counts
 * per route and error token since start, and the last few failures. Bounded memory: the counts are keyed
 * by configured route ids and RFC 9209 tokens only, the recent list has a fixed length. Fast and
 * non-blocking apart from a short lock on the recent list (the {@link GuardListener} contract).
 */
public final class RecentFailures implements GuardListener {

    /** One remembered failure, without anything a client could not see (no cause, no message). */
    public record Entry(Instant at, String route, String upstream, String error, int status, String origin,
                        boolean aborted, String phase, long elapsedMillis, String requestId) {
    }

    private final int capacity;
    private final Clock clock;
    private final Map<String, Map<String, LongAdder>> countsByRoute = new ConcurrentHashMap<>();
    private final Deque<Entry> recent = new ArrayDeque<>();

    /** Keeps the last {@code capacity} failures (0 keeps none, only the counts). */
    public RecentFailures(int capacity, Clock clock) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
        }
        this.capacity = capacity;
        this.clock = clock;
    }

    @Override
    public void onFailure(FailureEvent event) {
        countsByRoute.computeIfAbsent(event.routeId(), r -> new ConcurrentHashMap<>())
                .computeIfAbsent(event.errorToken(), t -> new LongAdder()).increment();
        if (capacity == 0) {
            return;
        }
        Entry entry = new Entry(clock.instant(), event.routeId(), event.upstreamId(), event.errorToken(),
                event.status(), event.origin().tag(), event.aborted(),
                event.failure() == null ? "response" : event.failure().phase().name().toLowerCase(java.util.Locale.ROOT),
                event.elapsedMillis(), event.requestId());
        synchronized (recent) {
            if (recent.size() == capacity) {
                recent.removeFirst();
            }
            recent.addLast(entry);
        }
    }

    /** Failure counts by route, then by error token ({@code none} for upstream 5xx passed through). */
    public Map<String, Map<String, Long>> countsByRoute() {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        countsByRoute.forEach((route, byType) -> {
            Map<String, Long> counts = new TreeMap<>();
            byType.forEach((token, adder) -> counts.put(token, adder.sum()));
            copy.put(route, counts);
        });
        return copy;
    }

    /** Failure counts by error token over all routes. */
    public Map<String, Long> countsByType() {
        Map<String, Long> total = new TreeMap<>();
        countsByRoute().values().forEach(byType -> byType.forEach((token, n) -> total.merge(token, n, Long::sum)));
        return total;
    }

    /** The last failures, oldest first. */
    public List<Entry> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }
}
