package dev.upstreamguard.core;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The hop-by-hop fields a proxy must not forward (RFC 9110 §7.6.1): {@code Connection}, the fields it
 * names, and {@code Keep-Alive}, {@code Proxy-Connection}, {@code TE}, {@code Transfer-Encoding},
 * {@code Upgrade}, plus {@code Trailer} (hop-by-hop in RFC 2616 §13.5.1: it announces the trailers of
 * the chunked framing the proxy re-does). Names compare case-insensitively, without copies.
 */
public final class HopByHop {

    private HopByHop() {
    }

    /** Whether {@code fieldName} is one of the fixed hop-by-hop fields, in any case. */
    public static boolean isHopByHop(String fieldName) {
        switch (fieldName.length()) {
            case 2:
                return is(fieldName, "TE");
            case 7:
                return is(fieldName, "Trailer") || is(fieldName, "Upgrade");
            case 10:
                return is(fieldName, "Connection") || is(fieldName, "Keep-Alive");
            case 16:
                return is(fieldName, "Proxy-Connection");
            case 17:
                return is(fieldName, "Transfer-Encoding");
            default:
                return false;
        }
    }

    /**
     * The connection options of a head (RFC 9110 §7.6.1): the tokens listed in its {@code Connection}
     * fields, lower-cased, in order; elements that are not tokens are ignored.
     *
     * @return an unmodifiable set, empty (and not allocated) when there is no {@code Connection} field
     */
    public static Set<String> connectionOptions(ResponseHead head) {
        Set<String> options = null;
        for (int i = 0, n = head.fieldCount(); i < n; i++) {
            String name = head.fieldName(i);
            String value = head.fieldValue(i);
            if (name == null || value == null || !is(name, "Connection")) {
                continue;
            }
            for (int start = 0, length = value.length(); start <= length; ) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? length : comma;
                int tokenStart = HttpChars.skipWhitespace(value, start, end);
                int tokenEnd = HttpChars.tokenEnd(value, tokenStart, end);
                if (tokenEnd > tokenStart && HttpChars.skipWhitespace(value, tokenEnd, end) == end) {
                    if (options == null) {
                        options = new LinkedHashSet<>();
                    }
                    options.add(value.substring(tokenStart, tokenEnd).toLowerCase(Locale.ROOT));
                }
                start = end + 1;
            }
        }
        return options == null ? Set.of() : Collections.unmodifiableSet(options);
    }

    /**
     * Whether a proxy must remove {@code fieldName} before forwarding: a fixed hop-by-hop field, or one
     * of {@code connectionOptions} (as returned by {@link #connectionOptions}), compared in any case.
     */
    public static boolean shouldStrip(String fieldName, Set<String> connectionOptions) {
        if (isHopByHop(fieldName)) {
            return true;
        }
        if (connectionOptions.isEmpty()) {
            return false;
        }
        for (String option : connectionOptions) {
            if (is(fieldName, option)) {
                return true;
            }
        }
        return false;
    }

    private static boolean is(String fieldName, String name) {
        return fieldName.length() == name.length() && fieldName.regionMatches(true, 0, name, 0, name.length());
    }
}
