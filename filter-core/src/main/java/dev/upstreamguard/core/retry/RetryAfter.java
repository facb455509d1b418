package dev.upstreamguard.core.retry;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an upstream's {@code Retry-After} field (RFC 9110 §10.2.3): {@code delay-seconds} or an
 * {@code HTTP-date} in any of the three formats a recipient must accept (§5.6.7): IMF-fixdate,
 * rfc850-date and asctime-date. HTTP-dates are case-sensitive and always GMT.
 *
 * <p>An HTTP-date is turned into a delay against the wall-clock instant the caller passes (normally
 * the {@link java.time.Clock} given to the {@link Retrier}); a date in the past means no delay. The
 * redundant day name of a date is not checked against the date. An rfc850-date's two-digit year is
 * placed in the century that puts it at most 50 years ahead of {@code now}, as §5.6.7 requires.
 */
public final class RetryAfter {
    private static final List<String> MONTHS = List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
            "Sep", "Oct", "Nov", "Dec");
    private static final String DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
    private static final String LONG_DAY = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
    private static final String MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
    private static final String TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
    /** {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    private static final Pattern IMF_FIXDATE = Pattern.compile(DAY + ", (\\d{2}) " + MONTH + " (\\d{4}) " + TIME + " GMT");
    /** {@code Sunday, 06-Nov-94 08:49:37 GMT}. */
    private static final Pattern RFC850_DATE = Pattern.compile(LONG_DAY + ", (\\d{2})-" + MONTH + "-(\\d{2}) " + TIME + " GMT");
    /** {@code Sun Nov  6 08:49:37 1994}. */
    private static final Pattern ASCTIME_DATE = Pattern.compile(DAY + " " + MONTH + " ([ \\d]\\d) " + TIME + " (\\d{4})");
    private static final int MAX_SECONDS_DIGITS = 18;

    private RetryAfter() {
    }

    /**
     * The delay a {@code Retry-After} value asks for, measured from {@code now}.
     *
     * @param value the field value, or {@code null} when there is none
     * @param now   the current wall-clock instant
     * @return the delay (never negative; very large delay-seconds saturate), or empty when the value is
     * absent or not a valid delay-seconds or HTTP-date (e.g. {@code -5}, {@code 1.5}, {@code soon})
     */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String v = trimOws(value);
        if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of(delaySeconds(v));
        }
        return httpDate(v, now).map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    }

    /** The instant of an HTTP-date (RFC 9110 §5.6.7), or empty when {@code value} is none. */
    public static Optional<Instant> httpDate(String value, Instant now) {
        try {
            Matcher m = IMF_FIXDATE.matcher(value);
            if (m.matches()) {
                return Optional.of(instant(Integer.parseInt(m.group(3)), m.group(2), m.group(1), m, 4));
            }
            m = RFC850_DATE.matcher(value);
            if (m.matches()) {
                return Optional.of(instant(fullYear(Integer.parseInt(m.group(3)), now), m.group(2), m.group(1), m, 4));
            }
            m = ASCTIME_DATE.matcher(value);
            if (m.matches()) {
                return Optional.of(instant(Integer.parseInt(m.group(6)), m.group(1), m.group(2).trim(), m, 3));
            }
        } catch (DateTimeException invalidDate) {
            // e.g. 31 Feb or 25:00:00: not a date, so not a Retry-After
        }
        return Optional.empty();
    }

    private static Duration delaySeconds(String digits) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > MAX_SECONDS_DIGITS) {
            return Duration.ofSeconds(Long.MAX_VALUE);
        }
        return Duration.ofSeconds(Long.parseLong(significant));
    }

    private static Instant instant(int year, String month, String day, Matcher m, int timeGroup) {
        int second = Integer.parseInt(m.group(timeGroup + 2));
        int leap = second == 60 ? 1 : 0; // §5.6.7 allows 23:59:60
        LocalDateTime t = LocalDateTime.of(year, MONTHS.indexOf(month) + 1, Integer.parseInt(day),
                Integer.parseInt(m.group(timeGroup)), Integer.parseInt(m.group(timeGroup + 1)), second - leap);
        return t.toInstant(ZoneOffset.UTC).plusSeconds(leap);
    }

    /** The latest year ending in {@code twoDigits} that is at most 50 years after {@code now}. */
    private static int fullYear(int twoDigits, Instant now) {
        int thisYear = LocalDateTime.ofInstant(now, ZoneOffset.UTC).getYear();
        int year = thisYear - Math.floorMod(thisYear, 100) + twoDigits;
        if (year > thisYear + 50) {
            year -= 100;
        } else if (year <= thisYear - 50) {
            year += 100;
        }
        return year;
    }

    private static String trimOws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }
}
