package dev.upstreamguard.benchmarks.soak;

import java.util.LinkedHashMap;
import java.util.Map;

/** The guard settings every packaging of the soak uses (keys without a packaging's prefix). */
final class SoakPolicy {
    /** The header that names one of the load generator's 64 clients. */
    static final String CLIENT_HEADER = "X-Soak-Client";

    private SoakPolicy() {
    }

    /**
     * A per-client rate limit keyed by {@link #CLIENT_HEADER}, high enough never to refuse the soak's clients
     * (so every 429 is unexpected), in Redis when {@code redisUri} is not null (failing open), else in memory.
     */
    static Map<String, String> limits(String redisUri) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("rate-limit.enabled", "true");
        p.put("rate-limit.limit", "1000000");
        p.put("rate-limit.window", "1s");
        p.put("rate-limit.key", "header");
        p.put("rate-limit.key-header", CLIENT_HEADER);
        if (redisUri != null) {
            p.put("limits.backend", "redis");
            p.put("limits.redis.uri", redisUri);
            p.put("limits.redis.failure-mode", "allow");
            p.put("limits.redis.key-prefix", "soak:");
        }
        return p;
    }

    /** The same keys with {@code prefix} in front. */
    static Map<String, Object> prefixed(String prefix, Map<String, String> keys) {
        Map<String, Object> p = new LinkedHashMap<>();
        keys.forEach((k, v) -> p.put(prefix + k, v));
        return p;
    }
}
