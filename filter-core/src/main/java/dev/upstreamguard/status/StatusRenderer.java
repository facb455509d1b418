package dev.upstreamguard.status;

/**
 * Writes a {@link StatusReport} for people and programs. The serving side sends the HTML as
 * {@code text/html; charset=utf-8} and the JSON as {@code application/json}, both with
 * {@code Cache-Control: no-store}, to trusted clients only.
 */
public final class StatusRenderer {

    private StatusRenderer() {
    }

    /**
     * The report as one JSON object (RFC 8259), pure ASCII: {@code generated_at}, {@code window_minutes},
     * {@code routes[]} ({@code id}, {@code health_known}, {@code upstreams[]} with {@code id}, {@code state}
     * {@code healthy|ejected}, {@code ejected_for_ms}, {@code consecutive_failures}, {@code ejection_count}),
     * {@code failures_by_minute[]} ({@code minute}, {@code errors} by RFC 9209 token, {@code upstream_5xx},
     * {@code total}), {@code recent_failures[]} ({@code time}, {@code route}, {@code upstream}, {@code error},
     * {@code status}, {@code phase}, {@code origin}, {@code aborted}, {@code attempt}, {@code max_attempts},
     * {@code log_phrase}), {@code recent_events[]} ({@code time}, {@code route}, {@code kind} {@code ejected|restored|
     * rate_limited|concurrency_limited|no_healthy_upstream}, {@code upstream}, {@code reason}) and {@code counters}
     * ({@code since} and the names of {@link StatusCounters#asMap()}).
     * Times are RFC 3339 in UTC.
     */
    public static String json(StatusReport report) {
        return StatusJson.write(report);
    }

    /**
     * The report as one self-contained HTML page (UTF-8, pure ASCII text, no script, font, stylesheet or
     * image fetched from anywhere), reloading itself every few seconds. The chart is inline SVG: one
     * {@code <rect data-error="…" data-minute="…" data-count="…">} with a {@code <title>} per error type and
     * minute. Every text from the report is HTML-escaped.
     */
    public static String html(StatusReport report) {
        return StatusHtml.write(report);
    }
}
