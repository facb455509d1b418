package dev.upstreamguard.core.validate;

import dev.upstreamguard.core.HttpChars;

/**
 * Parses one Content-Length field value (RFC 9110 §8.6: {@code 1*DIGIT}), accepting the list form of
 * identical values ({@code 5, 5}) that a combined duplicate produces. Returns the length, or a negative
 * violation code, so nothing is allocated. Leading zeros are part of the grammar and never count
 * towards {@link #MAX_DIGITS}: {@code 0000000000000000000042} is 42.
 */
final class ContentLengthValue {

    /** Not a decimal number (empty, a sign, a letter, an empty list element). */
    static final long NOT_A_NUMBER = -1;
    /** A minus sign followed by digits. */
    static final long NEGATIVE = -2;
    /** More than {@link #MAX_DIGITS} digits after the leading zeros. */
    static final long TOO_LONG = -3;
    /** A list whose elements differ. */
    static final long DIFFERING_IN_LIST = -4;

    /** The most digits accepted: any 18-digit number fits a {@code long}. */
    static final int MAX_DIGITS = 18;

    private ContentLengthValue() {
    }

    /** The length the value states, or one of the negative violation codes. */
    static long parse(String value) {
        int n = value.length();
        long first = -1;
        int i = 0;
        while (true) {
            i = HttpChars.skipWhitespace(value, i, n);
            if (i < n && value.charAt(i) == '-' && i + 1 < n && isDigit(value.charAt(i + 1))) {
                return NEGATIVE;
            }
            int start = i;
            while (i < n && value.charAt(i) == '0') {
                i++;
            }
            int significant = i;
            long length = 0;
            while (i < n && isDigit(value.charAt(i))) {
                if (i - significant == MAX_DIGITS) {
                    return TOO_LONG;
                }
                length = length * 10 + (value.charAt(i) - '0');
                i++;
            }
            if (i == start) {
                return NOT_A_NUMBER;
            }
            if (first >= 0 && length != first) {
                return DIFFERING_IN_LIST;
            }
            first = length;
            i = HttpChars.skipWhitespace(value, i, n);
            if (i == n) {
                return first;
            }
            if (value.charAt(i) != ',') {
                return NOT_A_NUMBER;
            }
            i++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
