package dev.upstreamguard.core.diagnostics;

import dev.upstreamguard.core.StructuredFields;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the members of an RFC 8941 List (§4.2.1) as far as the value is well formed, keeping only what
 * {@code Proxy-Status} needs: each member's name (the value of an sf-token or sf-string member item).
 * Values of parameters are checked for syntax and skipped. Never throws on bad input: it stops at the
 * first syntax error and reports where.
 */
final class ListScanner {

    /**
     * The outcome of a scan.
     *
     * @param names     the names of the members read before any error, in order; {@code null} stands for a
     *                  member that is not an sf-token or sf-string (an inner list, a number...)
     * @param wellFormed whether the whole value was a valid List
     */
    record Result(List<String> names, boolean wellFormed) {
    }

    /** Signals a syntax error; never leaves this class. */
    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed() {
            super(null, null, false, false);
        }
    }

    private final String in;
    private int pos;

    private ListScanner(String in) {
        this.in = in;
    }

    /** Scans {@code fieldValue}; {@code null} reads as the empty list. */
    static Result scan(String fieldValue) {
        List<String> names = new ArrayList<>();
        if (fieldValue == null) {
            return new Result(names, true);
        }
        ListScanner s = new ListScanner(fieldValue);
        try {
            s.list(names);
            return new Result(names, true);
        } catch (Malformed e) {
            return new Result(names, false);
        }
    }

    private void list(List<String> names) throws Malformed {
        skipSpaces();
        while (pos < in.length()) {
            names.add(member());
            skipOws();
            if (pos == in.length()) {
                return;
            }
            expect(',');
            skipOws();
            if (pos == in.length()) {
                throw new Malformed(); // a trailing comma
            }
        }
    }

    private String member() throws Malformed {
        if (peek() == '(') {
            innerList();
            return null;
        }
        String name = bareItem();
        parameters();
        return name;
    }

    private void innerList() throws Malformed {
        expect('(');
        while (true) {
            skipSpaces();
            if (peek() == ')') {
                pos++;
                parameters();
                return;
            }
            bareItem();
            parameters();
            char c = peek();
            if (c != ' ' && c != ')') {
                throw new Malformed();
            }
        }
    }

    private void parameters() throws Malformed {
        while (peek() == ';') {
            pos++;
            skipSpaces();
            key();
            if (peek() == '=') {
                pos++;
                bareItem();
            }
        }
    }

    private void key() throws Malformed {
        char first = peek();
        if (!StructuredFields.isLcAlpha(first) && first != '*') {
            throw new Malformed();
        }
        pos++;
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (!StructuredFields.isLcAlpha(c) && !StructuredFields.isDigit(c)
                    && c != '_' && c != '-' && c != '.' && c != '*') {
                break;
            }
            pos++;
        }
    }

    /** Reads a bare item; returns its text for a string or token, {@code null} for the other types. */
    private String bareItem() throws Malformed {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (StructuredFields.isAlpha(c) || c == '*') {
            return token();
        }
        if (c == '-' || StructuredFields.isDigit(c)) {
            number();
        } else if (c == ':') {
            byteSequence();
        } else if (c == '?') {
            pos++;
            char b = peek();
            if (b != '0' && b != '1') {
                throw new Malformed();
            }
            pos++;
        } else {
            throw new Malformed();
        }
        return null;
    }

    private String string() throws Malformed {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (pos < in.length()) {
            char c = in.charAt(pos++);
            if (c == '\\') {
                char e = peek();
                if (e != '"' && e != '\\') {
                    throw new Malformed();
                }
                sb.append(e);
                pos++;
            } else if (c == '"') {
                return sb.toString();
            } else if (StructuredFields.isPrintableAscii(c)) {
                sb.append(c);
            } else {
                throw new Malformed();
            }
        }
        throw new Malformed(); // unterminated
    }

    private String token() {
        int start = pos++;
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (!StructuredFields.isTchar(c) && c != ':' && c != '/') {
                break;
            }
            pos++;
        }
        return in.substring(start, pos);
    }

    /** RFC 8941 §4.2.4: at most 15 integer digits; a decimal has at most 12 + 3 digits. */
    private void number() throws Malformed {
        if (peek() == '-') {
            pos++;
        }
        int intDigits = digits();
        if (intDigits == 0) {
            throw new Malformed();
        }
        if (peek() != '.') {
            if (intDigits > 15) {
                throw new Malformed();
            }
            return;
        }
        pos++;
        int fractionDigits = digits();
        if (intDigits > 12 || fractionDigits == 0 || fractionDigits > 3) {
            throw new Malformed();
        }
    }

    private int digits() {
        int start = pos;
        while (pos < in.length() && StructuredFields.isDigit(in.charAt(pos))) {
            pos++;
        }
        return pos - start;
    }

    /** RFC 8941 §4.2.7: base64 between colons; missing padding is tolerated, a dangling sextet is not. */
    private void byteSequence() throws Malformed {
        pos++; // opening colon
        int sextets = 0;
        while (pos < in.length()) {
            char c = in.charAt(pos++);
            if (c == ':') {
                if (sextets % 4 == 1) {
                    throw new Malformed();
                }
                return;
            }
            if (StructuredFields.isAlpha(c) || StructuredFields.isDigit(c) || c == '+' || c == '/') {
                sextets++;
            } else if (c != '=') {
                throw new Malformed();
            }
        }
        throw new Malformed();
    }

    private void expect(char c) throws Malformed {
        if (peek() != c) {
            throw new Malformed();
        }
        pos++;
    }

    /** The next character, or NUL at the end (NUL is never valid in a field value). */
    private char peek() {
        return pos < in.length() ? in.charAt(pos) : '\0';
    }

    private void skipSpaces() {
        while (pos < in.length() && in.charAt(pos) == ' ') {
            pos++;
        }
    }

    private void skipOws() {
        while (pos < in.length() && (in.charAt(pos) == ' ' || in.charAt(pos) == '\t')) {
            pos++;
        }
    }
}
