package dev.upstreamguard.core.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Token buckets in this JVM, on Bucket4j's lock-free local buckets: the default backend. Calls never
 * block and complete at once.
 *
 * <p>Memory is bounded: past {@code maxBuckets} keys, buckets idle long enough to be full again are
 * dropped first (dropping them changes nothing: a new bucket starts full); if that is not enough, other
 * idle buckets are dropped, which can hand those keys a fresh burst — logged once.
 */
public final class InMemoryBucketBackend implements BucketBackend {
    /** The default bound on the number of buckets kept. */
    public static final int DEFAULT_MAX_BUCKETS = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryBucketBackend.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private record Key(BucketShape shape, String key) {
    }

    private static final class Entry {
        final Bucket bucket;
        final long fullAfterNanos;
        volatile long lastUsedNanos;

        Entry(Bucket bucket, long fullAfterNanos, long now) {
            this.bucket = bucket;
            this.fullAfterNanos = fullAfterNanos;
            this.lastUsedNanos = now;
        }
    }

    private final ConcurrentHashMap<Key, Entry> buckets = new ConcurrentHashMap<>();
    private final TimeMeter clock;
    private final int maxBuckets;
    private final AtomicBoolean evictionLogged = new AtomicBoolean();

    /** Buckets on the system's nano clock, at most {@value #DEFAULT_MAX_BUCKETS}. */
    public InMemoryBucketBackend() {
        this(TimeMeter.SYSTEM_NANOTIME, DEFAULT_MAX_BUCKETS);
    }

    /** Buckets on {@code clock} (tests inject one), at most {@code maxBuckets}. */
    public InMemoryBucketBackend(TimeMeter clock, int maxBuckets) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("maxBuckets must be >= 1, was " + maxBuckets);
        }
        this.maxBuckets = maxBuckets;
    }

    @Override
    public CompletionStage<Consumption> tryConsume(String key, BucketShape shape, long tokens) {
        ConsumptionProbe probe = bucket(key, shape).tryConsumeAndReturnRemaining(tokens);
        return CompletableFuture.completedFuture(new Consumption(probe.isConsumed(), probe.getRemainingTokens(),
                probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill(), true));
    }

    @Override
    public CompletionStage<Void> addTokens(String key, BucketShape shape, long tokens) {
        bucket(key, shape).addTokens(tokens);
        return DONE;
    }

    @Override
    public String name() {
        return "memory";
    }

    /** How many buckets are kept now. */
    public int size() {
        return buckets.size();
    }

    private Bucket bucket(String key, BucketShape shape) {
        long now = clock.currentTimeNanos();
        Key k = new Key(shape, key);
        Entry entry = buckets.get(k);
        if (entry == null) {
            if (buckets.size() >= maxBuckets) {
                evict(now);
            }
            entry = buckets.computeIfAbsent(k, x -> new Entry(newBucket(shape), fullAfterNanos(shape), now));
        }
        entry.lastUsedNanos = now;
        return entry.bucket;
    }

    private Bucket newBucket(BucketShape shape) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(shape.capacity()).refillGreedy(shape.refillTokens(), shape.refillPeriod()))
                .withCustomTimePrecision(clock)
                .build();
    }

    /** Time for an empty bucket to refill completely. */
    private static long fullAfterNanos(BucketShape shape) {
        double periods = Math.ceil((double) shape.capacity() / shape.refillTokens());
        double nanos = periods * shape.refillPeriod().toNanos();
        return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) nanos;
    }

    private void evict(long now) {
        for (Iterator<Map.Entry<Key, Entry>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
            Entry e = it.next().getValue();
            if (now - e.lastUsedNanos >= e.fullAfterNanos) {
                it.remove();
            }
        }
        if (buckets.size() < maxBuckets) {
            return;
        }
        if (evictionLogged.compareAndSet(false, true)) {
            LOG.warn("more than {} rate-limit buckets are in use; dropping some that are not yet full, which gives"
                    + " those clients a fresh burst (raise the bound or use a shared backend)", maxBuckets);
        }
        int toDrop = Math.max(1, maxBuckets / 10);
        for (Iterator<Key> it = buckets.keySet().iterator(); it.hasNext() && toDrop > 0; toDrop--) {
            it.next();
            it.remove();
        }
    }
}
