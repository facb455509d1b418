package dev.upstreamguard.core.validate;

import dev.upstreamguard.core.HttpChars;
import java.util.Locale;

/**
 * Reads the transfer codings of a response (RFC 9112 §6.1 and §7), field by field, carrying a small
 * state between the fields so nothing is allocated:
 * {@code transfer-coding = token *( OWS ";" OWS token BWS "=" BWS ( token / quoted-string ) )}.
 *
 * <p>For a response with content, only what every adapter decodes is accepted: {@code chunked}, at most
 * once and last (RFC 9112 §6.1, §7.1), and {@code identity}, dropped from the registry by RFC 7230 but
 * still sent by old servers, which changes nothing. The other codings of the IANA HTTP Transfer Coding
 * registry — {@code gzip}, {@code x-gzip}, {@code deflate}, {@code compress}, {@code x-compress} — are
 * known but not decoded by the HTTP clients the adapters use: their body would be relayed as if it were
 * the representation itself, so they are rejected ({@link #NOT_DECODED}) like anything else
 * ({@link #UNKNOWN}; {@code trailers} is reserved, not a coding). Empty list elements are ignored
 * (RFC 9110 §5.6.1), a field with no coding at all is a syntax error.
 */
final class TransferCodings {

    /** State bit: {@code chunked} was seen in an earlier element. */
    static final int CHUNKED_SEEN = 1;

    /** Violation: not the grammar above. */
    static final int SYNTAX = 1;
    /** Violation: the field holds no coding. */
    static final int EMPTY = 2;
    /** Violation: {@code chunked} applied more than once (RFC 9112 §6.1). */
    static final int CHUNKED_TWICE = 3;
    /** Violation: a coding no transfer-coding registry knows. */
    static final int UNKNOWN = 4;
    /** Violation: a registered coding other than {@code chunked} (and {@code identity}), which we do not decode. */
    static final int NOT_DECODED = 5;
    /** Violation: a coding after {@code chunked} (RFC 9112 §6.1: chunked must be the final coding). */
    static final int CHUNKED_NOT_LAST = 6;

    private static final String CHUNKED = "chunked";
    private static final String IDENTITY = "identity";
    private static final String[] NOT_DECODED_CODINGS = {"gzip", "x-gzip", "deflate", "compress", "x-compress"};

    private TransferCodings() {
    }

    /**
     * Reads one Transfer-Encoding field value.
     *
     * @param value      the field value
     * @param state      the state returned for the previous Transfer-Encoding field, 0 for the first
     * @param decodable  whether the response has content to decode; when not (a response to HEAD, 1xx,
     *                   204, 304) only the syntax is checked
     * @return the new state (non-negative), or a negative violation: use {@link #violation} and
     *         {@link #codingStart} to take it apart
     */
    static long scan(String value, int state, boolean decodable) {
        int n = value.length();
        boolean any = false;
        int i = 0;
        while (i <= n) {
            i = HttpChars.skipWhitespace(value, i, n);
            if (i == n || value.charAt(i) == ',') {
                i++;   // an empty element
                continue;
            }
            int start = i;
            int end = HttpChars.tokenEnd(value, start, n);
            if (end == start) {
                return violation(SYNTAX, start);
            }
            i = skipParameters(value, HttpChars.skipWhitespace(value, end, n), n);
            if (i < 0) {
                return violation(SYNTAX, start);
            }
            any = true;
            if (decodable) {
                int codingViolation = codingViolation(value, start, end, state);
                if (codingViolation != 0) {
                    return violation(codingViolation, start);
                }
                state |= is(CHUNKED, value, start, end) ? CHUNKED_SEEN : 0;
            }
            i++;   // the comma, or past the end
        }
        return any ? state : violation(EMPTY, 0);
    }

    /** The violation code of a negative {@link #scan} result. */
    static int violation(long scanResult) {
        return (int) (-scanResult >>> 32);
    }

    /** Where the offending coding starts in the value, for a negative {@link #scan} result. */
    static int codingStart(long scanResult) {
        return (int) -scanResult;
    }

    /** The offending coding name, lower-cased, if it is a token; otherwise {@code null}. */
    static String codingName(String value, long scanResult) {
        int start = codingStart(scanResult);
        int end = HttpChars.tokenEnd(value, start, value.length());
        return end > start ? value.substring(start, end).toLowerCase(Locale.ROOT) : null;
    }

    private static long violation(int code, int codingStart) {
        return -(((long) code << 32) | codingStart);
    }

    /**
     * Skips {@code *( OWS ";" OWS token BWS "=" BWS ( token / quoted-string ) ) OWS} from {@code i} (just
     * after the coding name and its OWS).
     *
     * @return the index of the comma ending the element or {@code n}, or -1 on a syntax error
     */
    private static int skipParameters(String s, int i, int n) {
        while (i < n && s.charAt(i) == ';') {
            int nameStart = HttpChars.skipWhitespace(s, i + 1, n);
            int nameEnd = HttpChars.tokenEnd(s, nameStart, n);
            i = HttpChars.skipWhitespace(s, nameEnd, n);
            if (nameEnd == nameStart || i == n || s.charAt(i) != '=') {
                return -1;
            }
            i = HttpChars.skipWhitespace(s, i + 1, n);
            int valueEnd = i < n && s.charAt(i) == '"' ? quotedStringEnd(s, i, n) : HttpChars.tokenEnd(s, i, n);
            if (valueEnd <= i) {
                return -1;
            }
            i = HttpChars.skipWhitespace(s, valueEnd, n);
        }
        return i == n || s.charAt(i) == ',' ? i : -1;
    }

    /** The index after the quoted-string opening at {@code i} (RFC 9110 §5.6.4), or -1 when unterminated. */
    private static int quotedStringEnd(String s, int i, int n) {
        for (int j = i + 1; j < n; j++) {
            char c = s.charAt(j);
            if (c == '"') {
                return j + 1;
            }
            if (c == '\\') {
                j++;
            }
        }
        return -1;
    }

    /** The violation of the coding at {@code start..end} after the codings {@code state} describes, or 0. */
    private static int codingViolation(String value, int start, int end, int state) {
        boolean chunkedSeen = (state & CHUNKED_SEEN) != 0;
        if (is(CHUNKED, value, start, end)) {
            return chunkedSeen ? CHUNKED_TWICE : 0;
        }
        if (is(IDENTITY, value, start, end)) {
            return chunkedSeen ? CHUNKED_NOT_LAST : 0;
        }
        for (String coding : NOT_DECODED_CODINGS) {
            if (is(coding, value, start, end)) {
                return NOT_DECODED;
            }
        }
        return UNKNOWN;
    }

    private static boolean is(String name, String value, int start, int end) {
        return end - start == name.length() && value.regionMatches(true, start, name, 0, name.length());
    }
}
