package dev.upstreamguard.status;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Colours of the chart's series, assigned in the report's series order (most frequent first) from a
 * palette that stays distinguishable for the common colour-vision deficiencies (Okabe and Ito); passed-through
 * upstream 5xx are always grey, so proxy-made failures stand out.
 */
final class SeriesColors {
    private static final String[] PALETTE = {
        "#d55e00", "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#8c510a", "#f0e442", "#5e3c99", "#000000",
    };
    private static final String UPSTREAM_GREY = "#9e9e9e";

    private final Map<String, String> colors = new HashMap<>();

    SeriesColors(Set<String> seriesInOrder) {
        int next = 0;
        for (String series : seriesInOrder) {
            if (!series.equals(StatusReport.UPSTREAM_5XX)) {
                colors.put(series, PALETTE[next++ % PALETTE.length]);
            }
        }
    }

    String of(String series) {
        return series.equals(StatusReport.UPSTREAM_5XX) ? UPSTREAM_GREY : colors.getOrDefault(series, UPSTREAM_GREY);
    }
}
