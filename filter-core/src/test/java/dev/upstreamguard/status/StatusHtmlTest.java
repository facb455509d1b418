package dev.upstreamguard.status;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class StatusHtmlTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:14:30Z");
    private static final Instant FIRST_MINUTE = Instant.parse("2026-11-25T10:00:00Z");
    private static final Pattern RECT = Pattern.compile("<rect ([^>]*)><title>([^<]*)</title></rect>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-z-]+)=\"([^\"]*)\"");

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "' onmouseover='alert(1)",
        "</td></tr></table><script>x</script>",
        "a&b &amp; &#60;",
        "<!-- comment --> ]]> <![CDATA[",
        "ctl \u0000\u0007\u001b\u007f\u0085 end",
        "lone \uD800 surrogate",
        "\u65e5\u672c \uD83D\uDE00",
    })
    void hostileRouteIdsAreEscapedEverywhereTheyAppear(String routeId) {
        StatusReport report = new StatusReport(NOW, ZoneOffset.UTC,
                List.of(new RouteStatus(routeId, List.of(new UpstreamStatus("u-1", false, 0, 0, 0)), true),
                        new RouteStatus(routeId, List.of(), false)),
                minutes(Map.of()),
                List.of(new RecentFailure(NOW, routeId, null, "connection_refused", 502, "connect", "proxy", false, 1, 1,
                        "upstream refused connection while connecting to upstream")),
                counters());

        String html = StatusRenderer.html(report);

        String escaped = HtmlText.escape(routeId);
        assertThat(html).doesNotContain("<script", "<img", "<![CDATA[", "<!-- comment");
        assertThat(html).contains("<td>" + escaped + "</td>", "data-route=\"" + escaped + "\"");
        assertThat(escaped).doesNotContain("<", ">", "\"", "'");
        assertThat(html.chars()).allMatch(c -> c == '\n' || c >= 0x20 && c < 0x7F);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "plain|plain",
        "<b>|&lt;b&gt;",
        "a&b|a&amp;b",
        "`\"q\"`|&quot;q&quot;",
        "it's|it&#39;s",
        "caf\u00e9|caf&#233;",
        "\uD83D\uDE00|&#128512;",
        "x\uDC00y|x&#65533;y",
        "nul\u0000del\u007fc1\u0085|nuldelc1",
        "`tab\tnl\n`|`tab\tnl\n`",
    })
    void escapesTextForContentAndAttributes(String input, String expected) {
        assertThat(HtmlText.escape(input)).isEqualTo(expected);
    }

    @Test
    void theChartHasOneLabelledRectPerErrorTypeAndMinuteStackedToTheMinutesTotal() {
        Map<Integer, Map<String, Long>> byMinute = Map.of(
                3, ordered("connection_refused", 4L, "http_response_timeout", 2L),
                14, ordered("connection_refused", 1L));
        List<MinuteCounts> minutes = minutes(byMinute);
        List<MinuteCounts> withUpstream = new ArrayList<>(minutes);
        withUpstream.set(14, new MinuteCounts(minutes.get(14).start(), minutes.get(14).byError(), 3));
        StatusReport report = new StatusReport(NOW, ZoneOffset.UTC, List.of(), withUpstream, List.of(), counters());

        List<Map<String, String>> rects = rects(StatusRenderer.html(report));

        assertThat(rects).extracting(r -> r.get("data-error") + "@" + r.get("data-minute") + "=" + r.get("data-count"))
                .containsExactly(
                        "connection_refused@2026-11-25T10:03:00Z=4",
                        "http_response_timeout@2026-11-25T10:03:00Z=2",
                        "connection_refused@2026-11-25T10:14:00Z=1",
                        "upstream_5xx@2026-11-25T10:14:00Z=3");
        assertThat(rects).extracting(r -> r.get("title")).containsExactly(
                "10:03 connection_refused: 4", "10:03 http_response_timeout: 2", "10:14 connection_refused: 1",
                "10:14 upstream_5xx: 3");
        // one stack per minute: heights proportional to the counts, each segment on top of the previous one
        Map<String, String> refused = rects.get(0);
        Map<String, String> timeout = rects.get(1);
        double unit = height(refused) / 4;
        assertThat(height(timeout)).isCloseTo(2 * unit, org.assertj.core.data.Offset.offset(0.11));
        assertThat(y(timeout) + height(timeout)).isCloseTo(y(refused), org.assertj.core.data.Offset.offset(0.11));
        assertThat(rects.stream().map(r -> r.get("fill")).distinct()).hasSize(3);
        assertThat(rects.get(3).get("fill")).isEqualTo("#9e9e9e");
    }

    @Test
    void theLegendListsEachSeriesWithItsTotalMostFrequentFirst() {
        List<MinuteCounts> minutes = minutes(Map.of(
                1, ordered("dns_error", 1L, "connection_refused", 2L),
                2, ordered("connection_refused", 3L)));
        StatusReport report = new StatusReport(NOW, ZoneOffset.UTC, List.of(), minutes, List.of(), counters());

        String html = StatusRenderer.html(report);

        assertThat(html).containsSubsequence("<li data-error=\"connection_refused\">", "</code><b>5</b></li>",
                "<li data-error=\"dns_error\">", "</code><b>1</b></li>");
        assertThat(html).contains("6 failures in the last 15 min");
    }

    @Test
    void anEmptyWindowSaysSoInsteadOfDrawingBars() {
        StatusReport report = new StatusReport(NOW, ZoneOffset.UTC, List.of(), minutes(Map.of()), List.of(), counters());

        String html = StatusRenderer.html(report);

        assertThat(rects(html)).isEmpty();
        assertThat(html).contains("No failures in the last 15 minutes", "class=\"summary ok\"", "None since");
    }

    @Test
    void anEjectedUpstreamShowsTheTimeLeftAndTurnsTheSummaryRed() {
        StatusReport report = new StatusReport(NOW, ZoneOffset.UTC,
                List.of(new RouteStatus("orders", List.of(new UpstreamStatus("orders-a", true, 19_500, 0, 2),
                        new UpstreamStatus("orders-b", false, 0, 1, 0)), true)),
                minutes(Map.of()), List.of(), counters());

        String html = StatusRenderer.html(report);

        assertThat(html).contains("data-upstream=\"orders-a\" data-state=\"ejected\"", "ejected, back in 20 s",
                "data-upstream=\"orders-b\" data-state=\"healthy\"", "class=\"summary bad\"",
                "1 of 2 upstreams in rotation &#183; 1 ejected");
    }

    @Test
    void theLastEventsSayWhatHappenedAndWhyEscaped() {
        StatusReport report = new StatusReport(NOW, ZoneOffset.UTC, List.of(), minutes(Map.of()), List.of(), counters(),
                List.of(new RecentEvent(NOW, "orders", "ejected", "orders-a", "5 consecutive failures <b>"),
                        new RecentEvent(NOW, "orders", "rate_limited", null, "answered 429 with Retry-After 3 s")));

        String html = StatusRenderer.html(report);

        assertThat(html).contains("<section id=\"events\"><h2>Last events</h2>", "<tr data-kind=\"ejected\">",
                "<code>orders-a</code>", "5 consecutive failures &lt;b&gt;", "<tr data-kind=\"rate_limited\">",
                "answered 429 with Retry-After 3 s").doesNotContain("failures <b>");
        assertThat(StatusRenderer.html(new StatusReport(NOW, ZoneOffset.UTC, List.of(), minutes(Map.of()), List.of(),
                counters()))).contains("No ejection or refusal since");
    }

    @Test
    void thePageIsSelfContained() {
        StatusReport report = new StatusReport(NOW, ZoneOffset.UTC,
                List.of(new RouteStatus("orders", List.of(new UpstreamStatus("orders-a", false, 0, 0, 0)), true)),
                minutes(Map.of(14, ordered("connection_refused", 1L))),
                List.of(new RecentFailure(NOW, "orders", "orders-a", "connection_refused", 502, "connect", "proxy", false,
                        1, 2, "upstream refused connection while connecting to upstream")),
                counters());

        String html = StatusRenderer.html(report);

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<meta charset=\"utf-8\">");
        assertThat(html).doesNotContain("<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import",
                "@font-face");
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http:", "https:", "//");
        assertThat(html).contains("<td>10:14:30</td>", "upstream refused connection while connecting to upstream",
                "<td class=\"num\">1/2</td>");
    }

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({"1, 1 ms", "999, 999 ms", "1000, 1 s", "1001, 2 s", "59999, 1 min", "60000, 1 min", "125000, 2 min 5 s",
        "3600000, 1 h", "3660000, 1 h 1 min"})
    void durationsReadNaturally(long millis, String text) {
        assertThat(StatusHtml.duration(millis)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0, 2", "1, 2", "2, 2", "3, 4", "5, 10", "11, 20", "21, 40", "41, 100", "101, 200",
        "9223372036854775807, 9223372036854775807"})
    void theScaleTopIsARoundNumberWithAWholeMiddle(long max, long top) {
        assertThat(FailureChart.niceCeiling(max)).isEqualTo(top);
    }

    static List<MinuteCounts> minutes(Map<Integer, Map<String, Long>> byIndex) {
        List<MinuteCounts> out = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            out.add(new MinuteCounts(FIRST_MINUTE.plusSeconds(60L * i), byIndex.getOrDefault(i, Map.of()), 0));
        }
        return out;
    }

    static Map<String, Long> ordered(Object... pairs) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Long) pairs[i + 1]);
        }
        return m;
    }

    static StatusCounters counters() {
        return new StatusCounters(FIRST_MINUTE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static List<Map<String, String>> rects(String html) {
        List<Map<String, String>> out = new ArrayList<>();
        Matcher m = RECT.matcher(html);
        while (m.find()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher a = ATTRIBUTE.matcher(m.group(1));
            while (a.find()) {
                attributes.put(a.group(1), a.group(2));
            }
            attributes.put("title", m.group(2));
            out.add(attributes);
        }
        return out;
    }

    private static double height(Map<String, String> rect) {
        return Double.parseDouble(rect.get("height"));
    }

    private static double y(Map<String, String> rect) {
        return Double.parseDouble(rect.get("y"));
    }
}
