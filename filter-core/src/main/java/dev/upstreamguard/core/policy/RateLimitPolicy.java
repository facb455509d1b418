package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.BucketShape;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A per-client rate limit on one route: a token bucket holding {@code burst} tokens that refills
 * {@code limit} tokens per {@code window} greedily (continuously); each request takes one. A client over
 * its limit is answered 429 ({@link dev.upstreamguard.core.admission.AdmissionVerdicts#rateLimited()}). The limit is advertised in the
 * {@code RateLimit-Policy} field of draft-ietf-httpapi-ratelimit-headers-11 §3 as
 * {@code "name";q=limit;w=window-seconds} (see {@link dev.upstreamguard.core.admission.RateLimitDecision#headers()}).
 *
 * @param enabled   whether the limit applies (default false)
 * @param name      the policy's name in the {@code RateLimit-Policy} and {@code RateLimit} fields and in
 *                  backend keys: 1–32 characters of {@code a-z 0-9 _ -} (default {@value #DEFAULT_NAME})
 * @param limit     tokens added per window, 1 to {@value #MAX_TOKENS} (default {@value #DEFAULT_LIMIT})
 * @param window    the refill window, a whole number of seconds from 1 s to 1 day (the draft's {@code w}
 *                  parameter has no sub-second precision; default 1 s)
 * @param burst     the bucket's capacity, 1 to {@value #MAX_TOKENS}; {@code 0} means "same as {@code limit}"
 *                  (the default)
 * @param keySource what identifies a client (default {@link ClientKeySource#ADDRESS})
 * @param keyHeader the request header naming the client when {@code keySource} is
 *                  {@link ClientKeySource#HEADER} (an RFC 9110 §5.1 field name); {@code null} otherwise
 * @param ipv6PrefixLength how many leading bits of an IPv6 client address make its key, 1 to 128 (default
 *                  {@value #DEFAULT_IPV6_PREFIX_LENGTH}): one subscriber usually holds a whole /64 (RFC 6177,
 *                  RFC 7934), so keying each address would let a single client rotate through 2^64 budgets.
 *                  An IPv4-mapped IPv6 address (RFC 4291 §2.5.5.2) is keyed as its IPv4 address.
 */
public record RateLimitPolicy(boolean enabled, String name, long limit, Duration window, long burst,
                              ClientKeySource keySource, String keyHeader, int ipv6PrefixLength) {
    /** The default policy name. */
    public static final String DEFAULT_NAME = "default";
    /** The default number of requests per window. */
    public static final long DEFAULT_LIMIT = 100;
    /** The default window. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(1);
    /** The longest window. */
    public static final Duration MAX_WINDOW = Duration.ofDays(1);
    /** The most tokens a limit or burst may name (keeps every refill rate within Bucket4j's bounds). */
    public static final long MAX_TOKENS = 1_000_000_000L;
    /** The default IPv6 prefix length that identifies one client: a /64, one subscriber's network. */
    public static final int DEFAULT_IPV6_PREFIX_LENGTH = 64;

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,32}");
    /** RFC 9110 §5.6.2 token: a field name. */
    private static final Pattern FIELD_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final RateLimitPolicy DEFAULTS = new RateLimitPolicy(false, DEFAULT_NAME, DEFAULT_LIMIT,
            DEFAULT_WINDOW, 0, ClientKeySource.ADDRESS, null, DEFAULT_IPV6_PREFIX_LENGTH);

    /**
     * Checks every value; a bad one fails naming the field and what is accepted. A {@code burst} of 0
     * becomes {@code limit}.
     *
     * @throws IllegalArgumentException when a value is out of range
     */
    public RateLimitPolicy {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1-32 characters of a-z 0-9 _ -, was '" + name + "'");
        }
        if (limit < 1 || limit > MAX_TOKENS) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_TOKENS + ", was " + limit);
        }
        Objects.requireNonNull(window, "window");
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(MAX_WINDOW) > 0 || window.getNano() != 0) {
            throw new IllegalArgumentException("window must be a whole number of seconds from 1 s to "
                    + MAX_WINDOW.getSeconds() + " s, was " + window);
        }
        if (burst < 0 || burst > MAX_TOKENS) {
            throw new IllegalArgumentException("burst must be between 1 and " + MAX_TOKENS
                    + " (or 0 for the same as limit), was " + burst);
        }
        if (burst == 0) {
            burst = limit;
        }
        Objects.requireNonNull(keySource, "keySource");
        if (keySource == ClientKeySource.HEADER) {
            if (keyHeader == null || !FIELD_NAME.matcher(keyHeader).matches()) {
                throw new IllegalArgumentException("keyHeader must be a header field name (RFC 9110 token) when"
                        + " keySource is HEADER, was " + (keyHeader == null ? "null" : "'" + keyHeader + "'"));
            }
        } else if (keyHeader != null) {
            throw new IllegalArgumentException("keyHeader must be null unless keySource is HEADER, was '"
                    + keyHeader + "' with keySource " + keySource);
        }
        if (ipv6PrefixLength < 1 || ipv6PrefixLength > 128) {
            throw new IllegalArgumentException("ipv6PrefixLength must be between 1 and 128, was " + ipv6PrefixLength);
        }
    }

    /** A policy keying IPv6 clients by their {@value #DEFAULT_IPV6_PREFIX_LENGTH}-bit prefix. */
    public RateLimitPolicy(boolean enabled, String name, long limit, Duration window, long burst,
                           ClientKeySource keySource, String keyHeader) {
        this(enabled, name, limit, window, burst, keySource, keyHeader, DEFAULT_IPV6_PREFIX_LENGTH);
    }

    /** Disabled; when enabled: {@value #DEFAULT_LIMIT} requests per second per client address, burst the same. */
    public static RateLimitPolicy defaults() {
        return DEFAULTS;
    }

    /** An enabled limit of {@code limit} requests per {@code window} per client address, burst the same. */
    public static RateLimitPolicy perAddress(String name, long limit, Duration window) {
        return new RateLimitPolicy(true, name, limit, window, 0, ClientKeySource.ADDRESS, null, DEFAULT_IPV6_PREFIX_LENGTH);
    }

    /** A copy with another burst ({@code 0}: same as the limit). */
    public RateLimitPolicy withBurst(long newBurst) {
        return new RateLimitPolicy(enabled, name, limit, window, newBurst, keySource, keyHeader, ipv6PrefixLength);
    }

    /** A copy that keys clients by {@code header}, falling back to the address when it is absent. */
    public RateLimitPolicy keyedByHeader(String header) {
        return new RateLimitPolicy(enabled, name, limit, window, burst, ClientKeySource.HEADER, header, ipv6PrefixLength);
    }

    /** A copy that keys IPv6 clients by their first {@code bits} bits (1 to 128; 128: each address). */
    public RateLimitPolicy withIpv6PrefixLength(int bits) {
        return new RateLimitPolicy(enabled, name, limit, window, burst, keySource, keyHeader, bits);
    }

    /** The window in whole seconds: the draft's {@code w} parameter. */
    public long windowSeconds() {
        return window.getSeconds();
    }

    /** The token bucket: capacity {@code burst}, refilled by {@code limit} per {@code window}. */
    public BucketShape shape() {
        return new BucketShape(name, burst, limit, window);
    }
}
