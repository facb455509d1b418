package dev.upstreamguard.redis;

import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.BucketShape;
import dev.upstreamguard.core.Consumption;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Token buckets in Redis, shared by every gateway instance that uses the same Redis and key prefix: a
 * client's tokens taken through one instance are gone for the others. Built on Bucket4j's Lettuce backend
 * (compare-and-swap in a Lua script), through its asynchronous API only, so no call blocks.
 *
 * <p>Buckets are stored under {@code keyPrefix + shape.name() + ":" + key}. A key expires once its bucket
 * would be full again (plus {@link #KEEP_AFTER_REFILL}), so idle clients cost no memory in Redis. A shape
 * is stored with its bucket: changing a shape's numbers under the same name takes effect for a key once
 * that key has expired.
 *
 * <p>When Redis is down, calls fail at once (Lettuce rejects commands while disconnected rather than
 * queueing them) and the connection is re-established in the background, retrying at most every
 * {@link #MAX_RECONNECT_DELAY}; a call that Redis does not answer fails after the command timeout. A Redis
 * that is down when the gateway starts does not stop it: calls fail until the first connection succeeds. Wrap
 * this backend in a {@link dev.upstreamguard.core.limits.FailSafeBucketBackend} to turn those failures
 * into the configured allow/deny decision. The returned stages complete on Lettuce's I/O thread: their
 * dependents must not block.
 */
public final class RedisBucketBackend implements BucketBackend {
    /** A key prefix that keeps these buckets apart from other data in the same Redis. */
    public static final String DEFAULT_KEY_PREFIX = "upstream-guard:";
    /** How long a key outlives the moment its bucket is full again (a full bucket equals a missing one). */
    public static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(10);
    /** The longest wait between two attempts to reconnect to a Redis that went away. */
    public static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(RedisBucketBackend.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    /** One established connection and the Bucket4j proxies on it. */
    private record Link(StatefulRedisConnection<String, byte[]> connection, AsyncProxyManager<String> buckets) {
    }

    private final RedisURI uri;
    private final String redactedUri;
    private final String keyPrefix;
    private final TimeMeter clock;
    private final ClientResources resources;
    private final RedisClient client;
    private final AtomicReference<CompletableFuture<Link>> link = new AtomicReference<>();
    private final AtomicLong nextConnectAttempt = new AtomicLong(System.nanoTime());
    private final AtomicBoolean connectFailing = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisBucketBackend(RedisURI uri, String redactedUri, String keyPrefix, TimeMeter clock,
                               ClientResources resources, RedisClient client) {
        this.uri = uri;
        this.redactedUri = redactedUri;
        this.keyPrefix = keyPrefix;
        this.clock = clock;
        this.resources = resources;
        this.client = client;
    }

    /**
     * Connects to the Redis at {@code redisUri} ({@code redis://[[user]:password@]host[:port][/database]} or
     * {@code rediss://…}), waiting at most {@code commandTimeout} for the connection. A Redis that cannot be
     * reached now does not fail this method: calls fail until a connection succeeds; one is attempted at
     * most every {@link #MAX_RECONNECT_DELAY}, on the next call.
     *
     * @param redisUri       the server; never logged with its password
     * @param keyPrefix      put before every key, e.g. {@link #DEFAULT_KEY_PREFIX}
     * @param commandTimeout the longest wait for a connection and for each command
     * @throws IllegalArgumentException if the URI is not a Redis URI (the message names it, credentials hidden)
     *                                  or the timeout is not positive
     */
    public static RedisBucketBackend connect(String redisUri, String keyPrefix, Duration commandTimeout) {
        return connect(redisUri, keyPrefix, commandTimeout, null);
    }

    /** As {@link #connect(String, String, Duration)}, with Bucket4j's time taken from {@code clock} (tests). */
    static RedisBucketBackend connect(String redisUri, String keyPrefix, Duration commandTimeout, TimeMeter clock) {
        RedisURI uri = RedisUris.parse(redisUri);
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout must be positive, was " + commandTimeout);
        }
        uri.setTimeout(commandTimeout);

        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(1) // one connection needs one event loop
                .computationThreadPoolSize(1)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
                .build());
        RedisBucketBackend backend = new RedisBucketBackend(uri, RedisUris.redact(redisUri), keyPrefix, clock,
                resources, client);
        LOG.info("Limit buckets in Redis at {} under the key prefix '{}'", backend.redactedUri, keyPrefix);
        CompletableFuture<Link> first = backend.open();
        backend.link.set(first);
        try {
            first.get(commandTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException ex) {
            // logged by open(); calls fail (and a FailSafeBucketBackend decides) until Redis can be reached
        }
        return backend;
    }

    /** Takes {@code tokens} from the shared bucket; the stage fails when Redis fails or times out. */
    @Override
    public CompletionStage<Consumption> tryConsume(String key, BucketShape shape, long tokens) {
        requirePositive(tokens);
        String redisKey = redisKey(key, shape);
        return currentLink().thenCompose(l -> bucket(l, redisKey, shape).tryConsumeAndReturnRemaining(tokens))
                .thenApply(RedisBucketBackend::consumption);
    }

    /** Adds {@code tokens} (up to the capacity) to the shared bucket; the stage fails when Redis does. */
    @Override
    public CompletionStage<Void> addTokens(String key, BucketShape shape, long tokens) {
        requirePositive(tokens);
        String redisKey = redisKey(key, shape);
        return currentLink().thenCompose(l -> bucket(l, redisKey, shape).addTokens(tokens));
    }

    /** {@code redis}. */
    @Override
    public String name() {
        return "redis";
    }

    /** Whether a connection is up now (it reconnects by itself after a loss). */
    public boolean isConnected() {
        CompletableFuture<Link> current = link.get();
        return current.isDone() && !current.isCompletedExceptionally() && current.join().connection().isOpen();
    }

    /** Closes the connection and the client; later calls fail. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            shutdown(client, resources); // closes the connection too
            LOG.info("Closed the Redis connection to {}", redactedUri);
        }
    }

    @Override
    public String toString() {
        return "RedisBucketBackend[" + redactedUri + ", prefix=" + keyPrefix + "]";
    }

    /** The connection, or a new attempt if the last one failed and none was made for a while. */
    private CompletableFuture<Link> currentLink() {
        CompletableFuture<Link> current = link.get();
        if (!current.isCompletedExceptionally() || closed.get()) {
            return current;
        }
        long now = System.nanoTime();
        long due = nextConnectAttempt.get();
        if (now - due >= 0 && nextConnectAttempt.compareAndSet(due, now + MAX_RECONNECT_DELAY.toNanos())) {
            CompletableFuture<Link> attempt = open();
            link.set(attempt);
            return attempt;
        }
        return current;
    }

    private CompletableFuture<Link> open() {
        nextConnectAttempt.set(System.nanoTime() + MAX_RECONNECT_DELAY.toNanos());
        CompletableFuture<Link> attempt;
        try {
            attempt = client.connectAsync(CODEC, uri).thenApply(this::link).toCompletableFuture();
        } catch (RuntimeException ex) {
            attempt = CompletableFuture.failedFuture(ex);
        }
        attempt.whenComplete((connected, failure) -> {
            if (failure != null) {
                Throwable error = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (connectFailing.compareAndSet(false, true)) {
                    LOG.warn("Cannot connect to Redis at {} (retrying at most every {} ms while limits are asked): {}",
                            redactedUri, MAX_RECONNECT_DELAY.toMillis(), error.toString());
                } else {
                    LOG.debug("Still cannot connect to Redis at {}: {}", redactedUri, error.toString());
                }
            } else if (connectFailing.compareAndSet(true, false)) {
                LOG.info("Connected to Redis at {}", redactedUri);
            }
        });
        return attempt;
    }

    private Link link(StatefulRedisConnection<String, byte[]> connection) {
        var builder = Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL));
        if (clock != null) {
            builder.clientClock(clock);
        }
        return new Link(connection, builder.build().asAsync());
    }

    private String redisKey(String key, BucketShape shape) {
        return keyPrefix + shape.name() + ":" + Objects.requireNonNull(key, "key");
    }

    private static BucketConfiguration configuration(BucketShape shape) {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(shape.capacity()).refillGreedy(shape.refillTokens(), shape.refillPeriod()))
                .build();
    }

    /** Bucket4j asks for the configuration only when the key does not exist in Redis. */
    private static AsyncBucketProxy bucket(Link link, String redisKey, BucketShape shape) {
        return link.buckets().builder().build(redisKey, () -> CompletableFuture.completedFuture(configuration(shape)));
    }

    private static Consumption consumption(ConsumptionProbe probe) {
        return new Consumption(probe.isConsumed(), probe.getRemainingTokens(),
                probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill(), true);
    }

    private static void requirePositive(long tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("tokens must be >= 1, was " + tokens);
        }
    }

    private static void shutdown(RedisClient client, ClientResources resources) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
