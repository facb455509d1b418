package dev.upstreamguard.core;

/**
 * Character classes of RFC 9110 §5.6 and RFC 5234 Appendix B.1, checked without allocation. A character
 * stands for an octet; characters above U+00FF (from a library that decoded UTF-8) count as obs-text.
 */
public final class HttpChars {

    /** tchar (RFC 9110 §5.6.2) among characters 0-63. */
    private static final long TCHAR_0_63 = tcharMask(0);
    /** tchar among characters 64-127. */
    private static final long TCHAR_64_127 = tcharMask(64);

    /** Whether each ASCII character is a tchar: the table {@link #isToken} reads. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            TCHAR[c] = isTchar(c);
        }
    }

    private HttpChars() {
    }

    private static long tcharMask(int from) {
        String tchars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        long mask = 0;
        for (int i = 0; i < tchars.length(); i++) {
            int c = tchars.charAt(i);
            if (c >= from && c < from + 64) {
                mask |= 1L << (c - from);
            }
        }
        return mask;
    }

    /** Whether {@code c} is a tchar: a visible ASCII character other than a delimiter. */
    public static boolean isTchar(char c) {
        // a shift by c uses only its low six bits, which is the bit wanted in either half
        return c < 64 ? (TCHAR_0_63 >>> c & 1) != 0 : c < 128 && (TCHAR_64_127 >>> c & 1) != 0;
    }

    /** Whether {@code s} is a non-empty token (RFC 9110 §5.6.2: {@code 1*tchar}). */
    public static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 128 || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first non-tchar in {@code s} at or after {@code from}, or {@code to}. */
    public static int tokenEnd(String s, int from, int to) {
        int i = from;
        while (i < to && isTchar(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Whether {@code c} is SP or HTAB (RFC 9110 §5.6.3 whitespace). */
    public static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    /** The index of the first non-whitespace character at or after {@code from}, or {@code to}. */
    public static int skipWhitespace(String s, int from, int to) {
        int i = from;
        while (i < to && isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * How many bytes more than one a character above U+007F takes: none up to U+00FF (an ISO-8859-1
     * octet), otherwise its UTF-8 length minus one (a surrogate counts half of its pair's four bytes).
     */
    public static int extraBytes(char c) {
        if (c <= 0xFF) {
            return 0;
        }
        if (c < 0x800 || Character.isSurrogate(c)) {
            return 1;
        }
        return 2;
    }

    /**
     * Checks a reason phrase (RFC 9112 §4: {@code *( HTAB / SP / VCHAR / obs-text )}).
     *
     * @return the extra bytes beyond one per character (see {@link #extraBytes}), or -1 when a control
     *         character other than HTAB occurs
     */
    public static long scanReasonPhrase(String reason) {
        long extra = 0;
        for (int i = 0, n = reason.length(); i < n; i++) {
            char c = reason.charAt(i);
            if (c >= 0x20 && c != 0x7F || c == '\t') {
                if (c > 0x7F) {
                    extra += extraBytes(c);
                }
            } else {
                return -1;
            }
        }
        return extra;
    }
}
