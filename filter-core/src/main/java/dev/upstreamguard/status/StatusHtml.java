package dev.upstreamguard.status;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML page: one self-contained document (inline CSS and SVG, no script, font or external resource) an
 * operator reads at a glance: a one-line summary, the upstreams with their health, the failures chart, the
 * counters, and the last failures with their log phrases (the longest part, so last). Every text from the report is escaped.
 */
final class StatusHtml {
    /** Seconds between automatic reloads of the page. */
    static final int REFRESH_SECONDS = 15;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx", Locale.ROOT);
    private static final Map<String, String> COUNTER_LABELS = Map.ofEntries(
            Map.entry("proxy_failures", "Proxy-made failures"),
            Map.entry("upstream_5xx", "Upstream 5xx passed through"),
            Map.entry("aborted_responses", "Responses aborted after commit"),
            Map.entry("retries_scheduled", "Retries scheduled"),
            Map.entry("retries_succeeded", "Succeeded after retry"),
            Map.entry("retries_denied_by_budget", "Retries denied by budget"),
            Map.entry("retries_not_retried", "Failures not retried"),
            Map.entry("ejections", "Ejections"),
            Map.entry("restorations", "Back in rotation"),
            Map.entry("rate_limited", "Rate limited (429)"),
            Map.entry("concurrency_limited", "Concurrency limited (503)"),
            Map.entry("no_healthy_upstream", "No healthy upstream (503)"),
            Map.entry("backend_failures_allowed", "Limit backend down, allowed"),
            Map.entry("backend_failures_denied", "Limit backend down, denied"),
            Map.entry("origin_header_violations", "Own header violations"),
            Map.entry("circuit_openings", "Circuit opened"),
            Map.entry("circuit_open", "Circuit open (503)"));
    private static final String STYLE = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;\
            color:#1f2328;background:#f6f8fa}
            header{padding:14px 24px;background:#fff;border-bottom:1px solid #d0d7de}
            h1{font-size:18px;margin:0 0 4px}
            h2{font-size:15px;margin:0 0 10px}
            main{padding:16px 24px;display:grid;gap:16px;max-width:1200px}
            section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:14px 16px}
            .summary{font-size:16px;font-weight:600;padding:6px 10px;border-radius:6px;display:inline-block}
            .ok{background:#dafbe1;color:#116329}.warn{background:#fff8c5;color:#7d4e00}.bad{background:#ffebe9;color:#a40e26}
            .meta{color:#59636e;font-size:12px}
            table{border-collapse:collapse;width:100%}
            th,td{text-align:left;padding:4px 10px 4px 0;border-bottom:1px solid #eaeef2;vertical-align:top}
            th{font-size:12px;color:#59636e;font-weight:600}
            td.num,th.num{text-align:right}
            code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace}
            .state{font-weight:600}.healthy{color:#116329}.ejected{color:#a40e26}.unknown{color:#7d4e00}
            .chart .grid{stroke:#eaeef2}.chart .axis{font-size:11px;fill:#59636e}.chart .empty{font-size:14px;fill:#116329}
            .chart-row{display:flex;flex-wrap:wrap;gap:8px 28px;align-items:flex-start}
            .legend{list-style:none;padding:0;margin:8px 0 0;display:flex;flex-direction:column;gap:6px}
            .legend b{margin-left:6px}
            .swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;vertical-align:-1px}
            .counters{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:6px}
            .counter{border:1px solid #eaeef2;border-radius:6px;padding:4px 10px;display:flex;gap:10px;align-items:baseline}
            .counter b{font-size:16px;min-width:2.5em;text-align:right}.counter span{font-size:12px;color:#59636e}
            .zero b{color:#8c959f}
            """;

    private StatusHtml() {
    }

    static String write(StatusReport report) {
        SeriesColors colors = new SeriesColors(report.totalsBySeries().keySet());
        StringBuilder out = new StringBuilder(16384);
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
                .append("<title>Upstream Guard status</title><style>").append(STYLE).append("</style></head><body>");
        header(out, report);
        out.append("<main>");
        upstreams(out, report);
        failures(out, report, colors);
        counters(out, report);
        recent(out, report, colors);
        events(out, report);
        out.append("</main></body></html>\n");
        return out.toString();
    }

    private static void header(StringBuilder out, StatusReport report) {
        int upstreams = 0;
        int ejected = 0;
        boolean unknown = false;
        for (RouteStatus route : report.routes()) {
            upstreams += route.upstreams().size();
            ejected += route.ejectedCount();
            unknown |= !route.healthKnown();
        }
        long failures = report.windowTotal();
        String level = ejected > 0 ? "bad" : failures > 0 || unknown ? "warn" : "ok";
        out.append("<header><h1>Upstream Guard status</h1><div id=\"summary\" class=\"summary ").append(level)
                .append("\">").append(upstreams - ejected).append(" of ").append(upstreams)
                .append(upstreams == 1 ? " upstream" : " upstreams").append(" in rotation");
        if (ejected > 0) {
            out.append(" &#183; ").append(ejected).append(" ejected");
        }
        out.append(" &#183; ").append(failures).append(failures == 1 ? " failure" : " failures").append(" in the last ")
                .append(report.windowMinutes()).append(" min</div><div class=\"meta\">Generated ")
                .append(DATE_TIME.format(report.generatedAt().atZone(report.zone())))
                .append(" &#183; reloads every ").append(REFRESH_SECONDS).append(" s &#183; counters since ")
                .append(DATE_TIME.format(report.counters().since().atZone(report.zone()))).append("</div></header>");
    }

    private static void upstreams(StringBuilder out, StatusReport report) {
        out.append("<section id=\"upstreams\"><h2>Upstreams</h2>");
        if (report.routes().isEmpty()) {
            out.append("<p class=\"meta\">No routes registered.</p></section>");
            return;
        }
        out.append("<table><thead><tr><th>Route</th><th>Upstream</th><th>State</th>")
                .append("<th class=\"num\">Failures in a row</th><th class=\"num\">Ejections in streak</th></tr></thead><tbody>");
        for (RouteStatus route : report.routes()) {
            if (!route.healthKnown() || route.upstreams().isEmpty()) {
                out.append("<tr data-route=\"").append(HtmlText.escape(route.routeId())).append("\"><td>")
                        .append(HtmlText.escape(route.routeId())).append("</td><td>&#8212;</td><td class=\"state unknown\">")
                        .append(route.healthKnown() ? "no upstreams" : "health unavailable").append("</td><td></td><td></td></tr>");
                continue;
            }
            for (UpstreamStatus u : route.upstreams()) {
                String state = u.ejected() ? "ejected" : "healthy";
                out.append("<tr data-route=\"").append(HtmlText.escape(route.routeId())).append("\" data-upstream=\"")
                        .append(HtmlText.escape(u.id())).append("\" data-state=\"").append(state).append("\"><td>")
                        .append(HtmlText.escape(route.routeId())).append("</td><td><code>").append(HtmlText.escape(u.id()))
                        .append("</code></td><td class=\"state ").append(state).append("\">&#9679; ").append(state);
                if (u.ejected()) {
                    out.append(", back in ").append(duration(u.ejectedForMillis()));
                }
                out.append("</td><td class=\"num\">").append(u.consecutiveFailures()).append("</td><td class=\"num\">")
                        .append(u.ejectionCount()).append("</td></tr>");
            }
        }
        out.append("</tbody></table></section>");
    }

    private static void failures(StringBuilder out, StatusReport report, SeriesColors colors) {
        out.append("<section id=\"failures\"><h2>Failures by error type, last ").append(report.windowMinutes())
                .append(" minutes</h2>");
        out.append("<div class=\"chart-row\">");
        FailureChart.append(out, report, colors);
        Map<String, Long> totals = report.totalsBySeries();
        if (!totals.isEmpty()) {
            out.append("<ul class=\"legend\">");
            for (Map.Entry<String, Long> e : totals.entrySet()) {
                out.append("<li data-error=\"").append(HtmlText.escape(e.getKey())).append("\"><span class=\"swatch\" style=\"background:")
                        .append(colors.of(e.getKey())).append("\"></span><code>").append(HtmlText.escape(e.getKey()))
                        .append("</code><b>").append(e.getValue()).append("</b></li>");
            }
            out.append("</ul>");
        }
        out.append("</div></section>");
    }

    private static void counters(StringBuilder out, StatusReport report) {
        out.append("<section id=\"counters\"><h2>Retries, budgets and limits</h2><div class=\"counters\">");
        for (Map.Entry<String, Long> e : report.counters().asMap().entrySet()) {
            out.append("<div class=\"counter").append(e.getValue() == 0 ? " zero" : "").append("\" data-counter=\"")
                    .append(e.getKey()).append("\"><b>").append(e.getValue()).append("</b><span>")
                    .append(HtmlText.escape(COUNTER_LABELS.getOrDefault(e.getKey(), e.getKey()))).append("</span></div>");
        }
        out.append("</div></section>");
    }

    private static void recent(StringBuilder out, StatusReport report, SeriesColors colors) {
        out.append("<section id=\"recent\"><h2>Last failures</h2>");
        if (report.recentFailures().isEmpty()) {
            out.append("<p class=\"meta\">None since ")
                    .append(DATE_TIME.format(report.counters().since().atZone(report.zone()))).append(".</p></section>");
            return;
        }
        ZoneId zone = report.zone();
        out.append("<table><thead><tr><th>Time</th><th>Route</th><th>Upstream</th><th>Error</th>")
                .append("<th class=\"num\">Status</th><th class=\"num\">Attempt</th><th>What happened</th></tr></thead><tbody>");
        for (RecentFailure f : report.recentFailures()) {
            out.append("<tr data-error=\"").append(HtmlText.escape(f.error())).append("\"><td>")
                    .append(TIME.format(f.time().atZone(zone))).append("</td><td>").append(HtmlText.escape(f.routeId()))
                    .append("</td><td><code>").append(f.upstreamId() == null ? "&#8212;" : HtmlText.escape(f.upstreamId()))
                    .append("</code></td><td><span class=\"swatch\" style=\"background:").append(colors.of(f.error()))
                    .append("\"></span><code>").append(HtmlText.escape(f.error())).append("</code></td><td class=\"num\">")
                    .append(f.status()).append("</td><td class=\"num\">").append(f.attempt()).append('/')
                    .append(f.maxAttempts()).append("</td><td>").append(HtmlText.escape(f.logPhrase())).append("</td></tr>");
        }
        out.append("</tbody></table></section>");
    }

    private static void events(StringBuilder out, StatusReport report) {
        out.append("<section id=\"events\"><h2>Last events</h2>");
        if (report.recentEvents().isEmpty()) {
            out.append("<p class=\"meta\">No ejection or refusal since ")
                    .append(DATE_TIME.format(report.counters().since().atZone(report.zone()))).append(".</p></section>");
            return;
        }
        out.append("<table><thead><tr><th>Time</th><th>Route</th><th>Event</th><th>Upstream</th><th>Why</th></tr>")
                .append("</thead><tbody>");
        for (RecentEvent e : report.recentEvents()) {
            out.append("<tr data-kind=\"").append(HtmlText.escape(e.kind())).append("\"><td>")
                    .append(TIME.format(e.time().atZone(report.zone()))).append("</td><td>")
                    .append(HtmlText.escape(e.routeId())).append("</td><td><code>").append(HtmlText.escape(e.kind()))
                    .append("</code></td><td><code>")
                    .append(e.upstreamId() == null ? "&#8212;" : HtmlText.escape(e.upstreamId()))
                    .append("</code></td><td>").append(HtmlText.escape(e.reason())).append("</td></tr>");
        }
        out.append("</tbody></table></section>");
    }

    /** "850 ms", "12 s", "3 min 5 s", "2 h 1 min". */
    static String duration(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        long seconds = (millis + 999) / 1000;
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        long minutes = seconds / 60;
        return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    }
}
