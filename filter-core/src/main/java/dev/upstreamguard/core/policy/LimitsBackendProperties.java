package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.BackendFailureMode;

import java.time.Duration;
import java.util.Map;

import static dev.upstreamguard.core.policy.PropertyValues.durationBetween;
import static dev.upstreamguard.core.policy.PropertyValues.enumValue;
import static dev.upstreamguard.core.policy.PropertyValues.matching;
import static dev.upstreamguard.core.policy.PropertyValues.names;
import static dev.upstreamguard.core.policy.PropertyValues.redisUri;

/**
 * {@code limits.*}: where rate-limit and retry-budget buckets live, a {@link BackendPolicy}. Redis needs its
 * URI and an explicit failure mode.
 */
final class LimitsBackendProperties extends PropertyGroup<LimitsBackendProperties> {

    private static final String URI = "limits.redis.uri";
    private static final String FAILURE_MODE = "limits.redis.failure-mode";

    private static final Map<String, Row<LimitsBackendProperties>> ROWS = rows(
            row("limits.backend", "memory", "one of " + names(BackendPolicy.Kind.values()),
                    "Where rate-limit and retry-budget buckets live: this JVM, or Redis shared by every instance.",
                    (g, v) -> g.kind = enumValue(BackendPolicy.Kind.class, v)),
            row(URI, "(none)", "redis://[user:password@]host:port[/db] or rediss://…",
                    "The Redis server (required with limits.backend=redis).",
                    (g, v) -> g.uri = redisUri(v)),
            row("limits.redis.key-prefix", BackendPolicy.DEFAULT_KEY_PREFIX, "1-64 characters without spaces",
                    "Prefix of every Redis key.",
                    (g, v) -> g.keyPrefix = matching(v, "\\S{1,64}")),
            row("limits.redis.timeout", "100ms", "a duration from 1ms to 1m",
                    "How long a limit decision waits for Redis before the failure mode decides.",
                    (g, v) -> g.timeout = durationBetween(v, Duration.ofMillis(1), Duration.ofMinutes(1))),
            row(FAILURE_MODE, "(none)", "allow or deny; required with limits.backend=redis",
                    "While Redis fails: allow (fail open) or deny (fail closed). Logged and counted either way.",
                    (g, v) -> g.failureMode = enumValue(BackendFailureMode.class, v)));

    private BackendPolicy.Kind kind;
    private String uri;
    private String keyPrefix;
    private Duration timeout;
    private BackendFailureMode failureMode;

    LimitsBackendProperties(GuardPolicy base, String prefix) {
        super(prefix, ROWS);
        BackendPolicy b = base.limitsBackend();
        kind = b.kind();
        uri = b.redisUri();
        keyPrefix = b.keyPrefix();
        timeout = b.timeout();
        failureMode = b.failureMode();
    }

    @Override
    void applyTo(GuardPolicy.Builder builder) {
        if (kind == BackendPolicy.Kind.REDIS && uri == null) {
            throw new ConfigurationException(fullKey(URI), null, "required with limits.backend=redis: " + accepted(URI));
        }
        if (kind == BackendPolicy.Kind.REDIS && failureMode == null) {
            throw new ConfigurationException(fullKey(FAILURE_MODE), null,
                    "allow or deny, required with limits.backend=redis: what limits do while Redis fails is an explicit choice");
        }
        builder.limitsBackend(new BackendPolicy(kind, uri, keyPrefix, timeout, failureMode));
    }
}
