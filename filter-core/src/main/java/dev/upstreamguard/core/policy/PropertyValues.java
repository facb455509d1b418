package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.CidrSet;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The value syntaxes every property shares: durations, sizes, enums, booleans, comma-separated lists,
 * ratios, ranges, CIDR lists and Redis URIs. Each parser throws an {@link IllegalArgumentException} (or a
 * {@link java.time.format.DateTimeParseException}) for a bad value; a {@link Rejection} carries a reason worth
 * adding to what the property accepts.
 */
final class PropertyValues {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,10})\\s*(|b|k|kb|kib|m|mb|mib)", Pattern.CASE_INSENSITIVE);
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");
    private static final Pattern PORT = Pattern.compile(":(\\d+)(?:[/?#]|$)");
    private static final Set<String> REDIS_SCHEMES = Set.of("redis", "rediss");

    private PropertyValues() {
    }

    /** A rejected value with a reason worth adding to what the property accepts. */
    static final class Rejection extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Rejection(String reason) {
            super(reason);
        }
    }

    /** The constants of an enum in kebab-case, comma-separated: {@code never, trusted, always}. */
    static String names(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> kebab(v.name())).collect(Collectors.joining(", "));
    }

    private static String kebab(String constant) {
        return constant.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Accepts kebab-case or constant case, any letter case: {@code replace-with-space}, {@code REPLACE_WITH_SPACE}. */
    static <E extends Enum<E>> E enumValue(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (kebab(constant.name()).equalsIgnoreCase(value.replace('_', '-'))) {
                return constant;
            }
        }
        throw new IllegalArgumentException(value);
    }

    static boolean bool(String value) {
        if ("true".equalsIgnoreCase(value)) {
            return true;
        }
        if ("false".equalsIgnoreCase(value)) {
            return false;
        }
        throw new IllegalArgumentException(value);
    }

    /** The value of {@code key} as it may appear in a message: a URI's user info never reaches a message or a log. */
    static String masked(String key, String value) {
        if (!key.endsWith(".uri") || value == null || value.lastIndexOf('@') < 0) {
            return value;
        }
        int at = value.lastIndexOf('@');
        int slashes = value.indexOf("//");
        int start = slashes >= 0 && slashes < at ? slashes + 2 : value.indexOf(':') + 1;
        return start > at ? "***" + value.substring(at) : value.substring(0, start) + "***" + value.substring(at);
    }

    /** {@link CidrSet#parse}, keeping its reason (which entry, and what is wrong with it). */
    static CidrSet cidrs(String value) {
        try {
            return CidrSet.parse(value);
        } catch (IllegalArgumentException ex) {
            throw new Rejection(ex.getMessage());
        }
    }

    /**
     * A Redis URI checked for its syntax only (RFC 3986 through {@link URI}; the core does not depend on a
     * Redis client): scheme redis or rediss, a host, a port from 1 to 65535 when given. The reasons never
     * quote the URI, so a password cannot leak into them.
     */
    static String redisUri(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException ex) {
            throw new Rejection("not a URI (" + ex.getReason() + ")"); // the index differs between JDK versions
        }
        if (uri.getScheme() == null || !REDIS_SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            throw new Rejection("the scheme must be redis or rediss");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            Matcher port = PORT.matcher(String.valueOf(uri.getRawAuthority()));
            throw new Rejection(port.find() && !portInRange(port.group(1))
                    ? "the port " + port.group(1) + " is not from 1 to 65535" : "no host (or a malformed port)");
        }
        if (uri.getPort() != -1 && !portInRange(String.valueOf(uri.getPort()))) {
            throw new Rejection("the port " + uri.getPort() + " is not from 1 to 65535");
        }
        return value;
    }

    private static boolean portInRange(String digits) {
        return digits.length() <= 5 && Integer.parseInt(digits) >= 1 && Integer.parseInt(digits) <= 65535;
    }

    /** A comma-separated list of non-empty items, trimmed, in order, without repeats. */
    static Set<String> csv(String value) {
        Set<String> items = new LinkedHashSet<>();
        for (String item : value.split(",")) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException(value);
            }
            items.add(trimmed);
        }
        return items;
    }

    static double ratio(String value) {
        double d = Double.parseDouble(value);
        if (!(d >= 0.0 && d <= 1.0)) {
            throw new IllegalArgumentException(value);
        }
        return d;
    }

    /** A size that may be 0. */
    static int size0(String value) {
        return value.trim().matches("0+\\s*[a-zA-Z]*") ? 0 : size(value);
    }

    static long inRange(long n, long min, long max) {
        if (n < min || n > max) {
            throw new IllegalArgumentException(String.valueOf(n));
        }
        return n;
    }

    /** An int from {@code min} to {@code max}. */
    static int intInRange(String value, int min, int max) {
        return (int) inRange(Integer.parseInt(value), min, max);
    }

    static String matching(String value, String regex) {
        if (!value.matches(regex)) {
            throw new IllegalArgumentException(value);
        }
        return value;
    }

    /** A duration from {@code min} to {@code max}. */
    static Duration durationBetween(String value, Duration min, Duration max) {
        Duration d = duration(value);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(d.toString());
        }
        return d;
    }

    /** A whole number of seconds from 1 s to {@code max}. */
    static Duration wholeSeconds(String value, Duration max) {
        Duration d = duration(value);
        if (d.getNano() != 0 || d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(d.toString());
        }
        return d;
    }

    static int nonNegativeInt(String value) {
        int n = Integer.parseInt(value);
        if (n < 0) {
            throw new IllegalArgumentException(value);
        }
        return n;
    }

    static int positiveInt(String value) {
        int n = Integer.parseInt(value);
        if (n < 1) {
            throw new IllegalArgumentException(value);
        }
        return n;
    }

    /** See {@link PolicyBinder#size(String)}. */
    static int size(String value) {
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(value);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        long bytes = unit.startsWith("k") ? n * 1024 : unit.startsWith("m") ? n * 1024 * 1024 : n;
        if (bytes < 1 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(value);
        }
        return (int) bytes;
    }

    /** See {@link PolicyBinder#parseDuration(String)}. */
    static Duration duration(String value) {
        if (value.trim().matches("0+")) {
            return Duration.ZERO;
        }
        Matcher m = SIMPLE_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms": return Duration.ofMillis(n);
                case "s": return Duration.ofSeconds(n);
                case "m": return Duration.ofMinutes(n);
                case "h": return Duration.ofHours(n);
                default: return Duration.ofDays(n);
            }
        }
        return Duration.parse(value.toUpperCase(Locale.ROOT));
    }
}
