package dev.upstreamguard.core;

import java.util.Objects;

/**
 * Serialisation helpers for RFC 8941 Structured Field Values (§4.1), the syntax of {@code Proxy-Status}.
 *
 * <p>Everything appended here is a valid serialisation: values that cannot be represented are either
 * rejected with {@link IllegalArgumentException} (keys, integers out of range) or, for sf-strings, made
 * representable by replacing each character outside printable ASCII with {@code '?'}.
 */
public final class StructuredFields {

    /** RFC 8941 §3.3.1: the largest magnitude of an sf-integer (15 decimal digits). */
    public static final long MAX_INTEGER = 999_999_999_999_999L;

    /** The character that stands in for each character an sf-string cannot carry. */
    public static final char REPLACEMENT = '?';

    private StructuredFields() {
    }

    /**
     * Whether {@code s} is an sf-token (RFC 8941 §3.3.4):
     * {@code ( ALPHA / "*" ) *( tchar / ":" / "/" )}.
     */
    public static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        char first = s.charAt(0);
        if (!isAlpha(first) && first != '*') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isTchar(c) && c != ':' && c != '/') {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code s} is a key (RFC 8941 §3.1.2):
     * {@code ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" )}.
     */
    public static boolean isKey(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        char first = s.charAt(0);
        if (!isLcAlpha(first) && first != '*') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isLcAlpha(c) && !isDigit(c) && c != '_' && c != '-' && c != '.' && c != '*') {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every character of {@code s} can stand in an sf-string unchanged (RFC 8941 §3.3.3: printable
     * ASCII, {@code %x20-7E}).
     */
    public static boolean isStringRepresentable(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isPrintableAscii(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends {@code value} as an sf-string (RFC 8941 §4.1.6): in double quotes, with {@code \} and
     * {@code "} escaped. Each character outside {@code %x20-7E} (controls, DEL, every non-ASCII character;
     * a surrogate pair counts once) becomes {@value #REPLACEMENT}, so the output is always valid.
     *
     * @throws NullPointerException when {@code value} is null
     */
    public static void appendString(StringBuilder out, String value) {
        Objects.requireNonNull(value, "value");
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (isPrintableAscii(c)) {
                out.append(c);
            } else {
                out.append(REPLACEMENT);
                if (Character.isHighSurrogate(c) && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                }
            }
        }
        out.append('"');
    }

    /**
     * Appends {@code value} as an sf-integer (RFC 8941 §4.1.4).
     *
     * @throws IllegalArgumentException when {@code value} has more than 15 digits
     */
    public static void appendInteger(StringBuilder out, long value) {
        if (!isIntegerInRange(value)) {
            throw new IllegalArgumentException("sf-integer out of range (at most 15 digits): " + value);
        }
        out.append(value);
    }

    /** Whether {@code value} fits an sf-integer (RFC 8941 §3.3.1: -999,999,999,999,999 to 999,999,999,999,999). */
    public static boolean isIntegerInRange(long value) {
        return value >= -MAX_INTEGER && value <= MAX_INTEGER;
    }

    /** Appends {@code value} as an sf-token when it is one (RFC 8941 §4.1.7), otherwise as an sf-string. */
    public static void appendTokenOrString(StringBuilder out, String value) {
        Objects.requireNonNull(value, "value");
        if (isToken(value)) {
            out.append(value);
        } else {
            appendString(out, value);
        }
    }

    /**
     * Appends a key (RFC 8941 §4.1.1.3).
     *
     * @throws IllegalArgumentException when {@code key} is not a valid key
     */
    public static void appendKey(StringBuilder out, String key) {
        out.append(requireKey(key));
    }

    /**
     * Returns {@code key} when it is an RFC 8941 key (§3.1.2).
     *
     * @throws IllegalArgumentException naming the rule otherwise
     */
    public static String requireKey(String key) {
        if (!isKey(key)) {
            throw new IllegalArgumentException("not an RFC 8941 key (lowercase letter or '*', then lowercase"
                    + " letters, digits, '_', '-', '.', '*'): " + printable(key));
        }
        return key;
    }

    /** A safe rendering of untrusted text for an exception message: quoted, non-printables replaced. */
    public static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        appendString(sb, s.length() > 64 ? s.substring(0, 64) + "..." : s);
        return sb.toString();
    }

    public static boolean isPrintableAscii(char c) {
        return c >= 0x20 && c <= 0x7E;
    }

    public static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    public static boolean isLcAlpha(char c) {
        return c >= 'a' && c <= 'z';
    }

    public static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** RFC 9110 §5.6.2 tchar. */
    public static boolean isTchar(char c) {
        if (isAlpha(c) || isDigit(c)) {
            return true;
        }
        switch (c) {
            case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-': case '.':
            case '^': case '_': case '`': case '|': case '~':
                return true;
            default:
                return false;
        }
    }
}
