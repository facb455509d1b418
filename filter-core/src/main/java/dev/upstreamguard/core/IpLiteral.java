package dev.upstreamguard.core;

/**
 * Parses IP address literals into bytes without any name lookup (unlike
 * {@link java.net.InetAddress#getByName(String)}, which resolves whatever is not a literal).
 *
 * <p>IPv4: dotted decimal, exactly four parts of 0..255 without leading zeros (so {@code 010.0.0.1}, which
 * some parsers read as octal, is refused). IPv6: RFC 4291 §2.2 text forms, with at most one {@code ::}
 * and an optional dotted IPv4 tail.
 */
public final class IpLiteral {

    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF};

    private IpLiteral() {
    }

    /** 4 or 16 bytes for an IPv4 or IPv6 literal, or {@code null} when {@code s} is not one. */
    public static byte[] parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        return s.indexOf(':') >= 0 ? parseIpv6(s) : parseIpv4(s);
    }

    /**
     * Like {@link #parse}, for an address as a server reports its peer: surrounding whitespace and
     * {@code [::1]} brackets are removed and an IPv6 zone ({@code fe80::1%eth0}, RFC 6874) is ignored.
     */
    public static byte[] parsePeer(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        if (t.length() >= 2 && t.charAt(0) == '[' && t.charAt(t.length() - 1) == ']') {
            t = t.substring(1, t.length() - 1);
        }
        int zone = t.indexOf('%');
        return parse(zone >= 0 && t.indexOf(':') >= 0 ? t.substring(0, zone) : t);
    }

    /**
     * The IPv4 address an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}, RFC 4291 §2.5.5.2) stands for;
     * any other address as it is.
     */
    public static byte[] unmapped(byte[] address) {
        if (address.length != 16) {
            return address;
        }
        for (int i = 0; i < MAPPED_PREFIX.length; i++) {
            if (address[i] != MAPPED_PREFIX[i]) {
                return address;
            }
        }
        byte[] v4 = new byte[4];
        System.arraycopy(address, 12, v4, 0, 4);
        return v4;
    }

    /** The IPv4-mapped IPv6 form of a 4-byte address. */
    static byte[] mapped(byte[] v4) {
        byte[] v6 = new byte[16];
        System.arraycopy(MAPPED_PREFIX, 0, v6, 0, MAPPED_PREFIX.length);
        System.arraycopy(v4, 0, v6, 12, 4);
        return v6;
    }

    /** {@code address} with every bit after the first {@code prefix} cleared. */
    public static byte[] masked(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int bit = prefix; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return out;
    }

    /** Dotted decimal, or eight uncompressed hex groups (RFC 4291 §2.2 form 1): a literal {@link #parse} reads back. */
    public static String format(byte[] address) {
        StringBuilder sb = new StringBuilder(address.length == 4 ? 15 : 39);
        if (address.length == 4) {
            for (int i = 0; i < 4; i++) {
                sb.append(i == 0 ? "" : ".").append(address[i] & 0xFF);
            }
        } else {
            for (int i = 0; i < 16; i += 2) {
                sb.append(i == 0 ? "" : ":").append(Integer.toHexString(((address[i] & 0xFF) << 8) | (address[i + 1] & 0xFF)));
            }
        }
        return sb.toString();
    }

    private static byte[] parseIpv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '.') {
                if (part == 4) {
                    return null;
                }
                int value = decimalOctet(s, start, i);
                if (value < 0) {
                    return null;
                }
                out[part++] = (byte) value;
                start = i + 1;
            }
        }
        return part == 4 ? out : null;
    }

    /** 0..255 from s[start, end), or -1 when empty, too long, with a leading zero or not decimal. */
    private static int decimalOctet(String s, int start, int end) {
        int length = end - start;
        if (length < 1 || length > 3 || (length > 1 && s.charAt(start) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 255 ? value : -1;
    }

    private static byte[] parseIpv6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        String headText = gap < 0 ? s : s.substring(0, gap);
        if (gap >= 0 && headText.indexOf('.') >= 0) {
            return null; // only the last group of the whole address may be a dotted IPv4 tail
        }
        int[] head = groups(headText);
        int[] tail = gap < 0 ? new int[0] : groups(s.substring(gap + 2));
        if (head == null || tail == null) {
            return null;
        }
        int count = head.length + tail.length;
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        byte[] out = new byte[16];
        write(out, 0, head);
        write(out, 16 - 2 * tail.length, tail);
        return out;
    }

    /**
     * The 16-bit groups of a colon-separated run (empty text → none); a dotted IPv4 last part becomes two
     * groups. {@code null} when malformed.
     */
    private static int[] groups(String run) {
        if (run.isEmpty()) {
            return new int[0];
        }
        String[] parts = run.split(":", -1);
        String last = parts[parts.length - 1];
        boolean v4Tail = last.indexOf('.') >= 0;
        int[] out = new int[parts.length + (v4Tail ? 1 : 0)];
        for (int i = 0; i < parts.length - (v4Tail ? 1 : 0); i++) {
            int g = hexGroup(parts[i]);
            if (g < 0) {
                return null;
            }
            out[i] = g;
        }
        if (v4Tail) {
            byte[] v4 = parseIpv4(last);
            if (v4 == null) {
                return null;
            }
            out[parts.length - 1] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
            out[parts.length] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
        }
        return out;
    }

    private static int hexGroup(String part) {
        if (part.isEmpty() || part.length() > 4) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < part.length(); i++) {
            int digit = Character.digit(part.charAt(i), 16);
            if (digit < 0 || part.charAt(i) > 'f') { // Character.digit accepts non-ASCII digits
                return -1;
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    private static void write(byte[] out, int offset, int[] groups) {
        for (int i = 0; i < groups.length; i++) {
            out[offset + 2 * i] = (byte) (groups[i] >>> 8);
            out[offset + 2 * i + 1] = (byte) groups[i];
        }
    }
}
