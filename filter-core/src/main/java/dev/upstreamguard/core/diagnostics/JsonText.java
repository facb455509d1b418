package dev.upstreamguard.core.diagnostics;

/**
 * Writes JSON strings (RFC 8259 §7) as pure ASCII: {@code "} and {@code \} escaped, control characters as
 * {@code \n}, {@code \t}... or {@code \}{@code uXXXX}, and every non-ASCII character as {@code \}{@code uXXXX}
 * (a supplementary character as its surrogate pair, §7). A lone surrogate, which no UTF-8 encoder can
 * carry (§8.2), becomes U+FFFD. Pure ASCII output stays correct whatever charset an integration
 * mistakenly writes the body with.
 */
final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c >= 0x20 && c < 0x7F) {
                        out.append(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        appendEscape(out, c);
                        appendEscape(out, s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        appendEscape(out, '\uFFFD');
                    } else {
                        appendEscape(out, c);
                    }
            }
        }
        out.append('"');
    }

    private static void appendEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }
}
