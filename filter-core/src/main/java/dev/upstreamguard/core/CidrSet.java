package dev.upstreamguard.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An immutable set of IPv4 and IPv6 address ranges in CIDR notation (RFC 4632 §3.1, RFC 4291 §2.3), e.g.
 * {@code "127.0.0.0/8, ::1/128, 10.1.0.0/16"}.
 *
 * <p>Only literals are accepted, in the configuration and in {@link #contains(String)}: nothing here ever
 * looks a name up. An IPv4 address also matches IPv6 ranges through its IPv4-mapped form
 * ({@code ::ffff:a.b.c.d}, RFC 4291 §2.5.5.2), and an IPv4-mapped IPv6 address matches IPv4 ranges, so a
 * dual-stack server's {@code ::ffff:127.0.0.1} counts as loopback. Consequently {@code ::/0} matches every
 * address.
 */
public final class CidrSet {

    private static final String ACCEPTED_FORMS = "accepted forms: an IPv4 literal with an optional /0-32 prefix,"
            + " or an IPv6 literal with an optional /0-128 prefix, comma-separated, e.g."
            + " \"127.0.0.0/8, ::1/128, 10.1.0.0/16\"; host names are not accepted";

    private static final CidrSet EMPTY = new CidrSet(List.of());
    private static final CidrSet LOOPBACK = parse("127.0.0.0/8, ::1/128");

    private final List<Range> ranges;

    private CidrSet(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * Parses a comma-separated list of ranges; an address without a prefix stands for itself alone
     * ({@code /32} or {@code /128}); blank entries are skipped, so {@code ""} is the empty set.
     *
     * @throws IllegalArgumentException naming the bad entry, what is wrong with it and the accepted forms:
     *                                  not a literal, a prefix out of range, or bits set after the prefix
     */
    public static CidrSet parse(String commaSeparated) {
        if (commaSeparated == null) {
            throw new IllegalArgumentException("trusted address list is missing; " + ACCEPTED_FORMS);
        }
        List<Range> ranges = new ArrayList<>();
        for (String entry : commaSeparated.split(",", -1)) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                ranges.add(Range.parse(trimmed));
            }
        }
        return new CidrSet(ranges);
    }

    /** {@code 127.0.0.0/8} and {@code ::1/128}. */
    public static CidrSet loopback() {
        return LOOPBACK;
    }

    /** The set that contains nothing. */
    public static CidrSet empty() {
        return EMPTY;
    }

    /**
     * Whether {@code ipLiteral} is in one of the ranges. Accepts {@code [::1]} brackets and ignores an IPv6
     * zone ({@code fe80::1%eth0}). Anything that is not a literal (a host name, {@code null}, garbage)
     * returns {@code false} at once: it is never resolved.
     */
    public boolean contains(String ipLiteral) {
        byte[] address = IpLiteral.parsePeer(ipLiteral);
        if (address == null) {
            return false;
        }
        byte[] v4 = IpLiteral.unmapped(address);
        byte[] asV6 = v4.length == 4 ? IpLiteral.mapped(v4) : address;
        for (Range r : ranges) {
            if (r.matches(v4.length == 4 && r.network.length == 4 ? v4 : asV6)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the set is empty. */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrSet && ranges.equals(((CidrSet) o).ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    /** The ranges as configured, comma-separated. */
    @Override
    public String toString() {
        return ranges.stream().map(r -> r.text).collect(Collectors.joining(", "));
    }

    /** One CIDR range: the network bytes (host bits zero) and the prefix length. */
    private static final class Range {
        final byte[] network;
        final int prefix;
        final String text;

        private Range(byte[] network, int prefix, String text) {
            this.network = network;
            this.prefix = prefix;
            this.text = text;
        }

        static Range parse(String entry) {
            int slash = entry.indexOf('/');
            String addressText = slash < 0 ? entry : entry.substring(0, slash);
            byte[] address = IpLiteral.parse(addressText);
            if (address == null) {
                throw invalid(entry, "'" + addressText + "' is not an IPv4 or IPv6 literal");
            }
            int max = address.length * 8;
            int prefix = slash < 0 ? max : prefixLength(entry, entry.substring(slash + 1), max);
            if (!hostBitsZero(address, prefix)) {
                throw invalid(entry, "bits are set after the /" + prefix + " prefix (the network is "
                        + IpLiteral.format(IpLiteral.masked(address, prefix)) + "/" + prefix + ")");
            }
            return new Range(address, prefix, entry);
        }

        private static int prefixLength(String entry, String text, int max) {
            if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(text) > max) {
                throw invalid(entry, "the prefix length must be a number from 0 to " + max);
            }
            return Integer.parseInt(text);
        }

        private static boolean hostBitsZero(byte[] address, int prefix) {
            return Arrays.equals(address, IpLiteral.masked(address, prefix));
        }

        boolean matches(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[whole] & mask) == (network[whole] & mask);
        }

        private static IllegalArgumentException invalid(String entry, String reason) {
            return new IllegalArgumentException("invalid trusted address range " + StructuredFields.printable(entry)
                    + ": " + reason + "; " + ACCEPTED_FORMS);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Range && prefix == ((Range) o).prefix && Arrays.equals(network, ((Range) o).network);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(network) + prefix;
        }
    }
}
