package dev.upstreamguard.core.limits;

import java.util.concurrent.CompletionStage;

/**
 * Where token buckets live: in this JVM ({@link InMemoryBucketBackend}) or shared by every instance of a
 * gateway (e.g. Redis through Bucket4j's Lettuce backend). Every method is non-blocking, so reactive
 * gateways may call it on an event loop; a stage may complete exceptionally when a shared backend fails
 * ({@link FailSafeBucketBackend} turns that into the configured {@link BackendFailureMode}).
 */
public interface BucketBackend extends AutoCloseable {

    /** Takes {@code tokens} from the bucket {@code key} of {@code shape}, creating it full if absent. */
    CompletionStage<Consumption> tryConsume(String key, BucketShape shape, long tokens);

    /** Adds {@code tokens} (up to the capacity) to the bucket {@code key} of {@code shape}, creating it full if absent. */
    CompletionStage<Void> addTokens(String key, BucketShape shape, long tokens);

    /** A short name for logs and metric tags, e.g. {@code memory} or {@code redis}. */
    String name();

    /** Releases connections; the default does nothing. */
    @Override
    default void close() {
    }
}
