package dev.upstreamguard.core.policy;

import java.time.Duration;
import java.util.Map;

import static dev.upstreamguard.core.policy.PropertyValues.bool;
import static dev.upstreamguard.core.policy.PropertyValues.enumValue;
import static dev.upstreamguard.core.policy.PropertyValues.inRange;
import static dev.upstreamguard.core.policy.PropertyValues.intInRange;
import static dev.upstreamguard.core.policy.PropertyValues.matching;
import static dev.upstreamguard.core.policy.PropertyValues.names;
import static dev.upstreamguard.core.policy.PropertyValues.wholeSeconds;

/** {@code rate-limit.*}: the per-client rate limit, a {@link RateLimitPolicy}. */
final class RateLimitProperties extends PropertyGroup<RateLimitProperties> {

    private static final String KEY_HEADER = "rate-limit.key-header";

    private static final Map<String, Row<RateLimitProperties>> ROWS = rows(
            row("rate-limit.enabled", "false", "true or false",
                    "Per-client rate limit: 429 with Retry-After and RateLimit-Policy/RateLimit headers.",
                    (g, v) -> g.enabled = bool(v)),
            row("rate-limit.name", RateLimitPolicy.DEFAULT_NAME, "1-32 characters of a-z 0-9 _ -",
                    "The policy name in RateLimit-Policy / RateLimit.",
                    (g, v) -> g.name = matching(v, "[a-z0-9_-]{1,32}")),
            row("rate-limit.limit", String.valueOf(RateLimitPolicy.DEFAULT_LIMIT), "a whole number from 1 to 1000000000",
                    "Requests per window per client.",
                    (g, v) -> g.limit = inRange(Long.parseLong(v), 1, RateLimitPolicy.MAX_TOKENS)),
            row("rate-limit.window", "1s", "a whole number of seconds from 1s to 1d",
                    "The rate limit's window.",
                    (g, v) -> g.window = wholeSeconds(v, RateLimitPolicy.MAX_WINDOW)),
            row("rate-limit.burst", "0", "0 (same as rate-limit.limit) or a whole number up to 1000000000",
                    "Requests a client may make at once after being idle.",
                    (g, v) -> g.burst = inRange(Long.parseLong(v), 0, RateLimitPolicy.MAX_TOKENS)),
            row("rate-limit.key", "address", "one of " + names(ClientKeySource.values()),
                    "What identifies a client: its address, or a request header (falling back to the address).",
                    (g, v) -> g.key = enumValue(ClientKeySource.class, v)),
            row(KEY_HEADER, "(none)", "an HTTP field name; required when rate-limit.key=header",
                    "The request header that identifies a client.",
                    (g, v) -> g.keyHeader = matching(v, "[!#$%&'*+.^_`|~0-9A-Za-z-]+")),
            row("rate-limit.ipv6-prefix-length", String.valueOf(RateLimitPolicy.DEFAULT_IPV6_PREFIX_LENGTH),
                    "a whole number from 1 to 128",
                    "IPv6 clients are keyed by this many leading bits (one subscriber holds a /64); IPv4-mapped"
                            + " addresses count as IPv4.",
                    (g, v) -> g.ipv6Prefix = intInRange(v, 1, 128)));

    private boolean enabled;
    private String name;
    private long limit;
    private Duration window;
    private long burst;
    private ClientKeySource key;
    private String keyHeader;
    private int ipv6Prefix;

    RateLimitProperties(GuardPolicy base, String prefix) {
        super(prefix, ROWS);
        RateLimitPolicy r = base.rateLimit();
        enabled = r.enabled();
        name = r.name();
        limit = r.limit();
        window = r.window();
        burst = r.burst() == r.limit() ? 0 : r.burst();   // "same as the limit" stays so
        key = r.keySource();
        keyHeader = r.keyHeader();
        ipv6Prefix = r.ipv6PrefixLength();
    }

    @Override
    void applyTo(GuardPolicy.Builder builder) {
        // each value was range-checked on its own; what is left to fail is rate-limit.key vs rate-limit.key-header
        builder.rateLimit(blaming(KEY_HEADER, keyHeader,
                () -> new RateLimitPolicy(enabled, name, limit, window, burst, key, keyHeader, ipv6Prefix)));
    }
}
