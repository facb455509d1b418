package dev.upstreamguard.core.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads an {@code Accept} field (RFC 9110 §12.5.1) just far enough to tell the quality a client gives a
 * media type: the most specific matching media range wins ({@code type/subtype} over {@code type/*} over
 * {@code *}{@code /*}), and a type no range matches has quality 0. Lenient: a range without a {@code /} is
 * ignored, and a {@code q} that is not a valid qvalue counts as 1.
 */
final class AcceptHeader {

    private AcceptHeader() {
    }

    /** The quality {@code accept} gives {@code type/subtype} (both lower case), 0.0 to 1.0. */
    static double quality(String accept, String type, String subtype) {
        int bestSpecificity = 0;
        double bestQuality = 0.0;
        for (String range : splitOutsideQuotes(accept, ',')) {
            List<String> parts = splitOutsideQuotes(range, ';');
            String mediaRange = parts.get(0).trim().toLowerCase(Locale.ROOT);
            int slash = mediaRange.indexOf('/');
            if (slash <= 0) {
                continue;
            }
            int specificity = specificity(mediaRange.substring(0, slash).trim(),
                    mediaRange.substring(slash + 1).trim(), type, subtype);
            if (specificity == 0 || specificity < bestSpecificity) {
                continue;
            }
            double q = qualityParameter(parts);
            bestQuality = specificity > bestSpecificity ? q : Math.max(bestQuality, q);
            bestSpecificity = specificity;
        }
        return bestQuality;
    }

    private static int specificity(String rangeType, String rangeSubtype, String type, String subtype) {
        if (rangeType.equals("*") && rangeSubtype.equals("*")) {
            return 1;
        }
        if (!rangeType.equals(type)) {
            return 0;
        }
        if (rangeSubtype.equals("*")) {
            return 2;
        }
        return rangeSubtype.equals(subtype) ? 3 : 0;
    }

    private static double qualityParameter(List<String> parts) {
        for (int i = 1; i < parts.size(); i++) {
            String p = parts.get(i).trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("q")) {
                return qvalue(p.substring(eq + 1).trim());
            }
        }
        return 1.0;
    }

    /** RFC 9110 §12.4.2: {@code ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )}; invalid → 1. */
    private static double qvalue(String text) {
        if (text.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
            return Double.parseDouble(text.endsWith(".") ? text + "0" : text);
        }
        return 1.0;
    }

    /** Splits on {@code separator} where it is not inside a quoted-string (RFC 9110 §5.6.4). */
    private static List<String> splitOutsideQuotes(String s, char separator) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\' && i + 1 < s.length()) {
                current.append(c).append(s.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                out.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        out.add(current.toString());
        return out;
    }
}
