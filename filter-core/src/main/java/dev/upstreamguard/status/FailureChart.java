package dev.upstreamguard.status;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The inline SVG chart: one stacked bar per minute, one {@code <rect>} per error type in it, each with
 * {@code data-error}, {@code data-minute} and {@code data-count} attributes and a {@code <title>} tooltip,
 * so people and tests read the same numbers. No script, no external resource.
 */
final class FailureChart {
    static final int WIDTH = 760;
    static final int HEIGHT = 220;
    private static final int LEFT = 44;
    private static final int RIGHT = 8;
    private static final int TOP = 12;
    private static final int BOTTOM = 26;
    private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    private FailureChart() {
    }

    static void append(StringBuilder out, StatusReport report, SeriesColors colors) {
        List<MinuteCounts> minutes = report.minutes();
        Map<String, Long> series = report.totalsBySeries();
        long max = niceCeiling(minutes.stream().mapToLong(MinuteCounts::total).max().orElse(0L));
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        double slot = (double) plotWidth / minutes.size();
        double barWidth = Math.max(1.0, slot * 0.72);
        ZoneId zone = report.zone();

        out.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" aria-labelledby=\"chart-title\">")
                .append("<title id=\"chart-title\">Failures per minute by error type, last ")
                .append(minutes.size()).append(" minutes</title>");
        for (int i = 0; i <= 2; i++) {
            long value = i == 0 ? 0 : i == 1 ? max / 2 : max;
            double y = TOP + plotHeight - (double) plotHeight * i / 2;
            out.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(fmt(y)).append("\" y2=\"").append(fmt(y)).append("\"/>")
                    .append("<text class=\"axis\" x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(y + 4))
                    .append("\" text-anchor=\"end\">").append(value).append("</text>");
        }
        int labelEvery = Math.max(1, (int) Math.ceil(minutes.size() / 15.0));
        for (int i = 0; i < minutes.size(); i++) {
            MinuteCounts minute = minutes.get(i);
            double x = LEFT + slot * i + (slot - barWidth) / 2;
            double base = TOP + plotHeight;
            String label = HOUR_MINUTE.format(minute.start().atZone(zone));
            for (String name : series.keySet()) {
                long n = name.equals(StatusReport.UPSTREAM_5XX) ? minute.upstream5xx() : minute.count(name);
                if (n == 0) {
                    continue;
                }
                double h = (double) plotHeight * n / max;
                base -= h;
                out.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(base)).append("\" width=\"")
                        .append(fmt(barWidth)).append("\" height=\"").append(fmt(h)).append("\" fill=\"")
                        .append(colors.of(name)).append("\" data-error=\"");
                HtmlText.append(out, name);
                out.append("\" data-minute=\"").append(minute.start()).append("\" data-count=\"").append(n)
                        .append("\"><title>").append(label).append(' ');
                HtmlText.append(out, name);
                out.append(": ").append(n).append("</title></rect>");
            }
            boolean last = i == minutes.size() - 1;
            if (last || (minutes.size() - 1 - i) % labelEvery == 0) {
                out.append("<text class=\"axis\" x=\"").append(fmt(LEFT + slot * i + slot / 2)).append("\" y=\"")
                        .append(HEIGHT - 8).append("\" text-anchor=\"middle\">").append(last ? "now" : label)
                        .append("</text>");
            }
        }
        if (series.isEmpty()) {
            out.append("<text class=\"empty\" x=\"").append(LEFT + plotWidth / 2).append("\" y=\"")
                    .append(TOP + plotHeight / 2).append("\" text-anchor=\"middle\">No failures in the last ")
                    .append(minutes.size()).append(" minutes</text>");
        }
        out.append("</svg>");
    }

    /** The scale's top: 2, 4 or 10 times a power of ten, at least {@code n}, so the middle grid line is a whole number. */
    static long niceCeiling(long n) {
        for (long magnitude = 1; ; magnitude *= 10) {
            for (long step : new long[] {2, 4, 10}) {
                if (step > Long.MAX_VALUE / magnitude) {
                    return Long.MAX_VALUE;
                }
                if (step * magnitude >= n) {
                    return step * magnitude;
                }
            }
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
