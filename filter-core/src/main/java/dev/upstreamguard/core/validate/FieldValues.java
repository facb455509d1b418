package dev.upstreamguard.core.validate;

import dev.upstreamguard.core.HttpChars;

/**
 * The character-level check of one field value (RFC 9110 §5.5, RFC 9112 §2.2 and §5.2) and the
 * unfolding of obs-fold. {@link #scan} returns a packed {@code long} so the success path allocates
 * nothing: non-negative is the count of extra bytes (see {@link HttpChars#extraBytes}) plus
 * {@link #FOLDED} when an obs-fold was accepted; negative is one of the violation codes.
 */
final class FieldValues {

    /** Set in a non-negative scan result when the value holds at least one accepted obs-fold. */
    static final long FOLDED = 1L << 62;
    /** Mask of the extra-byte count in a non-negative scan result. */
    static final long EXTRA_BYTES = FOLDED - 1;

    /** A CR not followed by LF. */
    static final long BARE_CR = -1;
    /** An LF not preceded by CR and not followed by SP/HTAB. */
    static final long BARE_LF = -2;
    /** A CRLF not followed by SP/HTAB. */
    static final long CRLF = -3;
    /** A NUL character. */
    static final long NUL = -4;
    /** A control character other than HTAB, CR, LF and NUL (DEL included). */
    static final long CONTROL = -5;
    /** An obs-fold when folds are not accepted. */
    static final long OBS_FOLD = -6;

    private FieldValues() {
    }

    /**
     * Scans a field value.
     *
     * @param value        the value as parsed, possibly holding line breaks a lenient parser kept
     * @param acceptFolds  whether an obs-fold (CRLF or LF followed by SP/HTAB) is accepted for repair
     * @return the packed result described in the class comment
     */
    static long scan(String value, boolean acceptFolds) {
        // fast path: one unsigned comparison per character finds anything outside SP..'~'
        for (int i = 0, n = value.length(); i < n; i++) {
            if ((char) (value.charAt(i) - 0x20) >= 0x5F) {
                return scanEachCharacter(value, acceptFolds);
            }
        }
        return 0;
    }

    /** The precise scan, for a value with HTAB, obs-text, a line break or a control character. */
    private static long scanEachCharacter(String value, boolean acceptFolds) {
        long extra = 0;
        boolean folded = false;
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7F || c == '\t') {
                continue;
            }
            if (c > 0x7F) {
                extra += HttpChars.extraBytes(c);
                continue;
            }
            int lineBreak = lineBreakLength(value, i, n);
            if (lineBreak > 0) {
                if (i + lineBreak < n && HttpChars.isWhitespace(value.charAt(i + lineBreak))) {
                    if (!acceptFolds) {
                        return OBS_FOLD;
                    }
                    folded = true;
                    i += lineBreak;   // the loop steps over the whitespace that follows
                    continue;
                }
                return lineBreak == 2 ? CRLF : BARE_LF;
            }
            return c == '\r' ? BARE_CR : c == 0 ? NUL : CONTROL;
        }
        return folded ? extra | FOLDED : extra;
    }

    /** 2 for CRLF at {@code i}, 1 for an LF, 0 for anything else (a bare CR included). */
    private static int lineBreakLength(String s, int i, int n) {
        char c = s.charAt(i);
        if (c == '\n') {
            return 1;
        }
        return c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n' ? 2 : 0;
    }

    /**
     * The value with each obs-fold, together with the whitespace on both sides of it, replaced by one SP
     * and the whitespace at both ends removed (RFC 9112 §5.2). Call only on a value {@link #scan} accepted.
     */
    static String unfold(String value) {
        int n = value.length();
        StringBuilder unfolded = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int lineBreak = lineBreakLength(value, i, n);
            if (lineBreak == 0) {
                unfolded.append(value.charAt(i));
                continue;
            }
            trimTrailingWhitespace(unfolded);
            unfolded.append(' ');
            i = HttpChars.skipWhitespace(value, i + lineBreak, n) - 1;
        }
        trimTrailingWhitespace(unfolded);
        int start = 0;
        while (start < unfolded.length() && HttpChars.isWhitespace(unfolded.charAt(start))) {
            start++;
        }
        return unfolded.substring(start);
    }

    private static void trimTrailingWhitespace(StringBuilder sb) {
        int end = sb.length();
        while (end > 0 && HttpChars.isWhitespace(sb.charAt(end - 1))) {
            end--;
        }
        sb.setLength(end);
    }
}
