package dev.upstreamguard.core.admission;

import dev.upstreamguard.core.IpLiteral;
import dev.upstreamguard.core.policy.ClientKeySource;
import dev.upstreamguard.core.policy.RateLimitPolicy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.function.Function;

/**
 * Turns what identifies a client into a bounded bucket key. Addresses and header values live in
 * separate namespaces ({@code addr:}, {@code hdr:}), so a header value cannot spend another client's
 * address budget; values longer than {@link #MAX_VALUE_LENGTH} characters are replaced by their SHA-256
 * (under {@code …-sha256:}, a namespace no raw value can reach), so a client cannot make keys of any size.
 *
 * <p>An IPv6 address is keyed by its network prefix of the policy's length (a /64 by default), written
 * {@code 2001:db8:0:1:0:0:0:0/64}, since one client holds a whole /64 and could otherwise rotate through its
 * addresses; an IPv4-mapped IPv6 address is keyed as the IPv4 address it maps. Other values (IPv4 addresses,
 * anything that is not an IP literal) are keyed as given.
 */
final class ClientKeys {
    /** The longest raw value kept in a key. */
    static final int MAX_VALUE_LENGTH = 128;
    /** The key of requests whose address is unknown: they share one bucket. */
    static final String UNKNOWN_ADDRESS = "unknown";

    private ClientKeys() {
    }

    static String of(RateLimitPolicy policy, String remoteAddress, Function<String, String> headerLookup) {
        String header = headerValue(policy, headerLookup);
        return header != null ? bounded("hdr", header) : bounded("addr", address(policy, remoteAddress));
    }

    /** The bucket key of route {@code routeId}: {@code <routeId>|<client key>}, built as one string. */
    static String routeQualified(String routeId, RateLimitPolicy policy, String remoteAddress,
                                 Function<String, String> headerLookup) {
        String header = headerValue(policy, headerLookup);
        return header != null ? routeQualified(routeId, "hdr", header) : routeQualified(routeId, "addr", address(policy, remoteAddress));
    }

    /** The trimmed key header when the policy keys by one and the request has it (not blank), else {@code null}. */
    private static String headerValue(RateLimitPolicy policy, Function<String, String> headerLookup) {
        if (policy.keySource() != ClientKeySource.HEADER || headerLookup == null) {
            return null;
        }
        String value = headerLookup.apply(policy.keyHeader());
        if (value == null) {
            return null;
        }
        value = value.strip();
        return value.isEmpty() ? null : value;
    }

    private static String address(RateLimitPolicy policy, String remoteAddress) {
        if (remoteAddress == null || remoteAddress.isBlank()) {
            return UNKNOWN_ADDRESS;
        }
        String address = remoteAddress.strip();
        if (address.indexOf(':') < 0) {
            return address; // IPv4 (the common case, kept as it is) or not an address
        }
        byte[] bytes = IpLiteral.parsePeer(address);
        if (bytes == null) {
            return address;
        }
        bytes = IpLiteral.unmapped(bytes);
        if (bytes.length == 4) {
            return IpLiteral.format(bytes);
        }
        int prefix = policy.ipv6PrefixLength();
        return prefix == 128 ? IpLiteral.format(bytes) : IpLiteral.format(IpLiteral.masked(bytes, prefix)) + '/' + prefix;
    }

    private static String routeQualified(String routeId, String namespace, String value) {
        if (value.length() <= MAX_VALUE_LENGTH) {
            return routeId + '|' + namespace + ':' + value;
        }
        return routeId + '|' + bounded(namespace, value);
    }

    private static String bounded(String namespace, String value) {
        if (value.length() <= MAX_VALUE_LENGTH) {
            return namespace + ':' + value;
        }
        return namespace + "-sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(value));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
