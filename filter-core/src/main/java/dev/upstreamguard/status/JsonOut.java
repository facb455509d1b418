package dev.upstreamguard.status;

/**
 * A minimal streaming JSON writer (RFC 8259) for the status report: objects, arrays, strings, integers,
 * booleans and null, commas placed by the writer. Output is pure ASCII: strings escape {@code "}, {@code \},
 * controls and every non-ASCII code unit as {@code \}{@code uXXXX} (§7); a lone surrogate becomes U+FFFD so
 * the text stays valid Unicode (§8.2).
 */
final class JsonOut {
    private static final String HEX = "0123456789abcdef";

    private final StringBuilder out = new StringBuilder(4096);
    /** True right after '{', '[' or a name: the next item needs no comma. */
    private boolean noComma = true;

    JsonOut beginObject() {
        separate();
        out.append('{');
        noComma = true;
        return this;
    }

    JsonOut endObject() {
        out.append('}');
        noComma = false;
        return this;
    }

    JsonOut beginArray() {
        separate();
        out.append('[');
        noComma = true;
        return this;
    }

    JsonOut endArray() {
        out.append(']');
        noComma = false;
        return this;
    }

    JsonOut name(String name) {
        separate();
        quote(name);
        out.append(':');
        noComma = true;
        return this;
    }

    JsonOut value(String s) {
        separate();
        if (s == null) {
            out.append("null");
        } else {
            quote(s);
        }
        noComma = false;
        return this;
    }

    JsonOut value(long n) {
        separate();
        out.append(n);
        noComma = false;
        return this;
    }

    JsonOut value(boolean b) {
        separate();
        out.append(b);
        noComma = false;
        return this;
    }

    JsonOut field(String name, String s) {
        return name(name).value(s);
    }

    JsonOut field(String name, long n) {
        return name(name).value(n);
    }

    JsonOut field(String name, boolean b) {
        return name(name).value(b);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void separate() {
        if (!noComma) {
            out.append(',');
        }
    }

    private void quote(String s) {
        out.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7F) {
                out.append(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                unicode(c);
                unicode(s.charAt(++i));
            } else {
                unicode(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        out.append('"');
    }

    private void unicode(char c) {
        out.append("\\u");
        for (int shift = 12; shift >= 0; shift -= 4) {
            out.append(HEX.charAt((c >> shift) & 0xF));
        }
    }
}
