package dev.upstreamguard.redis;

import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.limits.FailSafeBucketBackend;
import dev.upstreamguard.core.limits.InMemoryBucketBackend;
import dev.upstreamguard.core.policy.BackendPolicy;
import dev.upstreamguard.core.policy.ConfigurationException;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;

/**
 * Builds the bucket backend a {@link BackendPolicy} names: in memory, or Redis wrapped in a
 * {@link FailSafeBucketBackend} with the policy's timeout and failure mode. Every packaging uses it:
 * <pre>{@code
 * UpstreamGuard.builder().policy(policy).bucketBackend(LimitBackends.forPolicy(policy.limitsBackend())).build();
 * }</pre>
 * Redis needs {@code com.bucket4j:bucket4j_jdk17-lettuce} and {@code io.lettuce:lettuce-core} on the
 * classpath (optional dependencies of this artifact).
 */
public final class LimitBackends {

    private LimitBackends() {
    }

    /** A factory for {@code UpstreamGuard.Builder#bucketBackend(Function)}. */
    public static Function<GuardListener, BucketBackend> forPolicy(BackendPolicy policy) {
        return forPolicy(policy, "");
    }

    /**
     * Like {@link #forPolicy(BackendPolicy)}; errors name the property with {@code propertyPrefix}
     * (e.g. {@code upstream-guard.}) and, when Redis classes are missing, {@code howToAddRedis} says what to add.
     */
    public static Function<GuardListener, BucketBackend> forPolicy(BackendPolicy policy, String propertyPrefix,
                                                                    String howToAddRedis) {
        if (policy.kind() == BackendPolicy.Kind.MEMORY) {
            return listener -> new InMemoryBucketBackend();
        }
        return listener -> redis(policy, listener, propertyPrefix, howToAddRedis);
    }

    /** Like {@link #forPolicy(BackendPolicy)}, with errors naming the property with {@code propertyPrefix}. */
    public static Function<GuardListener, BucketBackend> forPolicy(BackendPolicy policy, String propertyPrefix) {
        return forPolicy(policy, propertyPrefix, "com.bucket4j:bucket4j_jdk17-lettuce and io.lettuce:lettuce-core on the classpath");
    }

    private static BucketBackend redis(BackendPolicy policy, GuardListener listener, String prefix, String howToAdd) {
        BucketBackend redis;
        try {
            redis = RedisBucketBackend.connect(policy.redisUri(), policy.keyPrefix(), policy.timeout());
        } catch (NoClassDefFoundError missing) {
            throw new ConfigurationException(prefix + "limits.backend", "redis", "memory, or redis with "
                    + howToAdd + " (missing: " + missing.getMessage() + ")");
        }
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "upstream-guard-limits-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        FailSafeBucketBackend failSafe = new FailSafeBucketBackend(redis, policy.timeout(), policy.failureMode(), listener, timer);
        return new BucketBackend() {
            @Override
            public java.util.concurrent.CompletionStage<dev.upstreamguard.core.Consumption> tryConsume(
                    String key, dev.upstreamguard.core.BucketShape shape, long tokens) {
                return failSafe.tryConsume(key, shape, tokens);
            }

            @Override
            public java.util.concurrent.CompletionStage<dev.upstreamguard.core.Consumption> tryConsumeClient(
                    String scope, String key, dev.upstreamguard.core.BucketShape shape, long tokens) {
                return failSafe.tryConsumeClient(scope, key, shape, tokens);
            }

            @Override
            public java.util.concurrent.CompletionStage<Void> addTokens(String key,
                    dev.upstreamguard.core.BucketShape shape, long tokens) {
                return failSafe.addTokens(key, shape, tokens);
            }

            @Override
            public String name() {
                return failSafe.name();
            }

            @Override
            public boolean failing() {
                return failSafe.failing();
            }

            @Override
            public dev.upstreamguard.core.BackendFailureMode failureMode() {
                return failSafe.failureMode();
            }

            @Override
            public void close() {
                failSafe.close();   // closes the Redis connection
                timer.shutdownNow();
            }
        };
    }
}
