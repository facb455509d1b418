package dev.upstreamguard.core.retry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {
    /** Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example date. */
    private static final Instant EXAMPLE = Instant.parse("1994-11-06T08:49:37Z");

    @ParameterizedTest(name = "''{0}'' is {1} s")
    @CsvSource(delimiter = '|', value = {
            "0|0", "1|1", "120|120", "007|7", "' 5\t'|5", "86400|86400",
            "9223372036854775807|9223372036854775807", "99999999999999999999999|9223372036854775807",
            "000000000000000000000000003|3"})
    void delaySecondsAreRead(String value, long seconds) {
        assertThat(RetryAfter.parse(value, EXAMPLE)).contains(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "''{0}'' is {1} s after the example")
    @CsvSource(delimiter = '|', value = {
            "Sun, 06 Nov 1994 08:49:37 GMT|0",
            "Sun, 06 Nov 1994 08:49:39 GMT|2",
            "Sunday, 06-Nov-94 08:50:37 GMT|60",
            "Sun Nov  6 08:49:40 1994|3",
            "Sun Nov 16 08:49:37 1994|864000",
            "Mon, 07 Nov 1994 08:49:37 GMT|86400",
            "Sat, 31 Dec 1994 23:59:60 GMT|4806623",
            "Sun, 06 Nov 1994 08:00:00 GMT|0",
            "Thu, 01 Jan 1970 00:00:00 GMT|0"})
    void httpDatesInEachFormatBecomeADelayFromNowAndPastDatesNoDelay(String value, long seconds) {
        assertThat(RetryAfter.parse(value, EXAMPLE)).contains(Duration.ofSeconds(seconds));
    }

    @Test
    void theWeekdayIsNotCheckedAgainstTheDate() {
        assertThat(RetryAfter.parse("Fri, 06 Nov 1994 08:49:38 GMT", EXAMPLE)).contains(Duration.ofSeconds(1));
    }

    @ParameterizedTest(name = "rfc850 year ''{0}'' seen in {1} is {2}")
    @CsvSource({"94, 2026, 1994", "30, 2026, 2030", "76, 2026, 2076", "77, 2026, 1977", "10, 2090, 2110", "00, 2026, 2000"})
    void twoDigitYearsAreAtMostFiftyYearsAhead(String yy, int nowYear, int expectedYear) {
        Instant now = Instant.parse(nowYear + "-06-01T00:00:00Z");
        Optional<Instant> at = RetryAfter.httpDate("Monday, 01-Jan-" + yy + " 00:00:00 GMT", now);
        assertThat(at).contains(Instant.parse(expectedYear + "-01-01T00:00:00Z"));
    }

    @ParameterizedTest(name = "''{0}'' is not a Retry-After")
    @ValueSource(strings = {"", " ", "-5", "-0", "+5", "1.5", "5s", "1e3", "soon", "120, 120", "٣",
            "sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 gmt",
            "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT+1", "Sun Nov 6 08:49:37 1994", "2026-11-26T00:00:00Z"})
    void garbageNegativeAndMalformedValuesAreIgnored(String value) {
        assertThat(RetryAfter.parse(value, EXAMPLE)).isEmpty();
    }

    @Test
    void absentIsEmpty() {
        assertThat(RetryAfter.parse(null, EXAMPLE)).isEmpty();
    }
}
