package dev.upstreamguard.status;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable snapshot for the status page: the routes with their upstreams' health, the failures of each
 * of the last minutes by error type, the last failures and the counters.
 *
 * @param generatedAt    when the snapshot was taken
 * @param zone           the zone the page shows times in (the clock's zone)
 * @param routes         routes in registration order
 * @param minutes        one entry per minute of the window, oldest first, the current (partial) minute last
 * @param recentFailures the last failures, newest first
 * @param counters       totals since the history started
 * @param recentEvents   the guard's last events (ejections, restorations, refusals), newest first
 */
public record StatusReport(Instant generatedAt, ZoneId zone, List<RouteStatus> routes, List<MinuteCounts> minutes,
                           List<RecentFailure> recentFailures, StatusCounters counters, List<RecentEvent> recentEvents) {

    /** The series name of upstream 5xx passed through, beside the RFC 9209 tokens: {@value}. */
    public static final String UPSTREAM_5XX = "upstream_5xx";

    /** Freezes the lists. */
    public StatusReport {
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(counters, "counters");
        routes = List.copyOf(routes);
        minutes = List.copyOf(minutes);
        recentFailures = List.copyOf(recentFailures);
        recentEvents = List.copyOf(recentEvents);
    }

    /** A snapshot without events. */
    public StatusReport(Instant generatedAt, ZoneId zone, List<RouteStatus> routes, List<MinuteCounts> minutes,
                        List<RecentFailure> recentFailures, StatusCounters counters) {
        this(generatedAt, zone, routes, minutes, recentFailures, counters, List.of());
    }

    /** The number of minutes the failure counts cover. */
    public int windowMinutes() {
        return minutes.size();
    }

    /**
     * Totals over the window per series: the error tokens that occurred, most frequent first (ties by
     * token), then {@value #UPSTREAM_5XX} if any passed through.
     */
    public Map<String, Long> totalsBySeries() {
        Map<String, Long> totals = new LinkedHashMap<>();
        long upstream = 0;
        for (MinuteCounts minute : minutes) {
            minute.byError().forEach((token, n) -> totals.merge(token, n, Long::sum));
            upstream += minute.upstream5xx();
        }
        List<Map.Entry<String, Long>> entries = new ArrayList<>(totals.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Long> ordered = new LinkedHashMap<>();
        entries.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        if (upstream > 0) {
            ordered.put(UPSTREAM_5XX, upstream);
        }
        return ordered;
    }

    /** Failures in the window, proxy-made and passed through. */
    public long windowTotal() {
        return minutes.stream().mapToLong(MinuteCounts::total).sum();
    }
}
