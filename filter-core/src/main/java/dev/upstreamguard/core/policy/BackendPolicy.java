package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.BackendFailureMode;
import java.time.Duration;
import java.util.Objects;

/**
 * Where limits (rate limits, the retry budget) keep their buckets: in this JVM, or in Redis so that every
 * instance of a gateway shares them. With Redis, what happens when it is down is an explicit choice: there
 * is no default failure mode.
 *
 * @param kind        memory or redis
 * @param redisUri    {@code redis://[user:password@]host:port[/db]} or {@code rediss://…}; required for redis
 * @param keyPrefix   prefix of every Redis key
 * @param timeout     how long a limit decision may wait for Redis before the failure mode decides
 * @param failureMode allow or deny while Redis fails; required for redis, {@code null} for memory
 */
public record BackendPolicy(Kind kind, String redisUri, String keyPrefix, Duration timeout, BackendFailureMode failureMode) {
    /** The default Redis key prefix. */
    public static final String DEFAULT_KEY_PREFIX = "upstream-guard:";
    /** The default Redis decision timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(100);

    /** Where the buckets live. */
    public enum Kind {
        /** In this JVM (the default). */
        MEMORY,
        /** In Redis, shared by every instance. */
        REDIS
    }

    /** Checks the values, naming the field. */
    public BackendPolicy {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("timeout must be more than 0 and at most 1 minute, was " + timeout);
        }
        if (kind == Kind.REDIS) {
            if (redisUri == null || redisUri.isBlank()) {
                throw new IllegalArgumentException("redisUri is required when kind is REDIS");
            }
            if (failureMode == null) {
                throw new IllegalArgumentException("failureMode (allow or deny) is required when kind is REDIS");
            }
        }
    }

    /** In memory. */
    public static BackendPolicy memory() {
        return new BackendPolicy(Kind.MEMORY, null, DEFAULT_KEY_PREFIX, DEFAULT_TIMEOUT, null);
    }

    /** In Redis at {@code uri}, answering {@code failureMode} while it fails. */
    public static BackendPolicy redis(String uri, BackendFailureMode failureMode) {
        return new BackendPolicy(Kind.REDIS, uri, DEFAULT_KEY_PREFIX, DEFAULT_TIMEOUT, failureMode);
    }

    @Override
    public String toString() {
        // never print the password of a Redis URI
        String uri = redisUri == null ? null : redisUri.replaceAll("//[^@/]*@", "//***@");
        return "BackendPolicy[kind=" + kind + ", redisUri=" + uri + ", keyPrefix=" + keyPrefix + ", timeout=" + timeout
                + ", failureMode=" + failureMode + "]";
    }
}
