package dev.upstreamguard.core;

import java.util.concurrent.CompletionStage;

/**
 * Where token buckets live: in this JVM ({@link dev.upstreamguard.core.limits.InMemoryBucketBackend}) or shared by every instance of a
 * gateway (e.g. Redis through Bucket4j's Lettuce backend). Every method is non-blocking, so reactive
 * gateways may call it on an event loop; a stage may complete exceptionally when a shared backend fails
 * ({@link dev.upstreamguard.core.limits.FailSafeBucketBackend} turns that into the configured {@link BackendFailureMode}).
 */
public interface BucketBackend extends AutoCloseable {

    /**
     * Takes {@code tokens} from the bucket {@code key} of {@code shape}, creating it full if absent. For
     * buckets of which there are few (one per route, such as a retry budget): a backend that bounds its
     * memory never drops them.
     */
    CompletionStage<Consumption> tryConsume(String key, BucketShape shape, long tokens);

    /**
     * Takes {@code tokens} from the bucket of one client, {@code key}, among possibly very many (a rate
     * limit's per-client buckets, all of {@code scope}, e.g. the route). A backend that bounds its memory may
     * drop such a bucket once it is full again (a new one would start full, so nothing changes) and, while it
     * holds as many as it may and none is full, may answer from one overflow bucket of {@code shape} shared by
     * the clients of {@code scope} that have none of their own. The default is {@link #tryConsume}.
     */
    default CompletionStage<Consumption> tryConsumeClient(String scope, String key, BucketShape shape, long tokens) {
        return tryConsume(key, shape, tokens);
    }

    /** Adds {@code tokens} (up to the capacity) to the bucket {@code key} of {@code shape}, creating it full if absent. */
    CompletionStage<Void> addTokens(String key, BucketShape shape, long tokens);

    /** A short name for logs and metric tags, e.g. {@code memory} or {@code redis}. */
    String name();

    /**
     * Whether the backend is failing now, so that calls are answered by a failure mode rather than by it
     * (for metrics; {@link dev.upstreamguard.core.limits.FailSafeBucketBackend} knows). The default: never.
     */
    default boolean failing() {
        return false;
    }

    /** The failure mode that answers while the backend fails, or {@code null} when none is configured (the default). */
    default BackendFailureMode failureMode() {
        return null;
    }

    /** Releases connections; the default does nothing. */
    @Override
    default void close() {
    }
}
