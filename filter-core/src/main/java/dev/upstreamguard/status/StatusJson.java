package dev.upstreamguard.status;

import java.util.Map;

/** The JSON form of a {@link StatusReport}; field names are snake_case, times RFC 3339 in UTC. */
final class StatusJson {

    private StatusJson() {
    }

    static String write(StatusReport report) {
        JsonOut json = new JsonOut().beginObject()
                .field("generated_at", report.generatedAt().toString())
                .field("window_minutes", report.windowMinutes());
        json.name("routes").beginArray();
        for (RouteStatus route : report.routes()) {
            json.beginObject().field("id", route.routeId()).field("health_known", route.healthKnown())
                    .name("upstreams").beginArray();
            for (UpstreamStatus u : route.upstreams()) {
                json.beginObject().field("id", u.id()).field("state", u.ejected() ? "ejected" : "healthy")
                        .field("ejected_for_ms", u.ejectedForMillis())
                        .field("consecutive_failures", u.consecutiveFailures())
                        .field("ejection_count", u.ejectionCount()).endObject();
            }
            json.endArray().endObject();
        }
        json.endArray();
        json.name("failures_by_minute").beginArray();
        for (MinuteCounts minute : report.minutes()) {
            json.beginObject().field("minute", minute.start().toString()).name("errors").beginObject();
            for (Map.Entry<String, Long> e : minute.byError().entrySet()) {
                json.field(e.getKey(), e.getValue());
            }
            json.endObject().field(StatusReport.UPSTREAM_5XX, minute.upstream5xx()).field("total", minute.total())
                    .endObject();
        }
        json.endArray();
        json.name("recent_failures").beginArray();
        for (RecentFailure f : report.recentFailures()) {
            json.beginObject().field("time", f.time().toString()).field("route", f.routeId())
                    .field("upstream", f.upstreamId()).field("error", f.error()).field("status", f.status())
                    .field("phase", f.phase()).field("origin", f.origin()).field("aborted", f.aborted())
                    .field("attempt", f.attempt()).field("max_attempts", f.maxAttempts())
                    .field("log_phrase", f.logPhrase()).endObject();
        }
        json.endArray();
        json.name("recent_events").beginArray();
        for (RecentEvent e : report.recentEvents()) {
            json.beginObject().field("time", e.time().toString()).field("route", e.routeId()).field("kind", e.kind())
                    .field("upstream", e.upstreamId()).field("reason", e.reason()).endObject();
        }
        json.endArray();
        json.name("counters").beginObject().field("since", report.counters().since().toString());
        for (Map.Entry<String, Long> e : report.counters().asMap().entrySet()) {
            json.field(e.getKey(), e.getValue());
        }
        json.endObject();
        return json.endObject().toString();
    }
}
