package dev.upstreamguard.status;

/**
 * Escapes text for HTML element content and quoted attribute values (HTML Living Standard §13.1.2.6,
 * §13.1.4): {@code & < > " '} as character references, every non-ASCII character as a numeric reference
 * (so the page is right whatever charset a proxy in between assumes), controls other than tab and line
 * feed dropped (§13.1.4 forbids them), a lone surrogate as U+FFFD.
 */
final class HtmlText {

    private HtmlText() {
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        append(out, s);
        return out.toString();
    }

    static void append(StringBuilder out, String s) {
        if (s == null) {
            return;
        }
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '\t', '\n' -> out.append(c);
                default -> {
                    if (c >= 0x20 && c < 0x7F) {
                        out.append(c);
                    } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
                        // controls are not allowed in HTML text: dropped
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append("&#").append(Character.toCodePoint(c, s.charAt(++i))).append(';');
                    } else if (Character.isSurrogate(c)) {
                        out.append("&#65533;");
                    } else {
                        out.append("&#").append((int) c).append(';');
                    }
                }
            }
        }
    }
}
