package dev.upstreamguard.core.limits;

import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.BucketShape;
import dev.upstreamguard.core.Consumption;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token buckets in this JVM, on Bucket4j's lock-free local buckets: the default backend. Calls never
 * block and complete at once.
 *
 * <p><b>Memory.</b> Buckets taken through {@link #tryConsume} and {@link #addTokens} (one per route: retry
 * budgets) are kept for the backend's life. Client buckets ({@link #tryConsumeClient}: rate limits) are
 * bounded by {@code maxBuckets}. A client bucket is dropped only when it is full again — its last use is
 * longer ago than an empty bucket takes to refill — because a new bucket starts full, so dropping it
 * changes nothing; a bucket that is still refilling is never dropped, so no client gets a fresh burst by
 * crowding others out.
 *
 * <p><b>Full map.</b> When a new client arrives while {@code maxBuckets} client buckets exist and none is
 * full yet, the client gets no bucket of its own: it is answered from one overflow bucket of the same
 * shape shared by every such client of its scope (its route), until a bucket is full again and can be
 * dropped. New clients then share one client's rate, which is safe (the map cannot grow, no existing
 * budget is reset) and still lets some traffic through; it is logged at WARN once, then at DEBUG. A scan
 * for full buckets remembers when the earliest one can be full, so under a flood of new clients the map
 * is not scanned on every request.
 *
 * <p>A request that takes a token from a bucket at the very moment it is dropped as full may see that
 * token come back in the bucket that replaces it: at most one token per request racing the drop.
 */
public final class InMemoryBucketBackend implements BucketBackend {
    /** The default bound on the number of client buckets kept. */
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

    /** Per-client buckets: bounded, and dropped only when full again. */
    private final ConcurrentHashMap<Key, Entry> clients = new ConcurrentHashMap<>();
    /** Buckets that are never dropped: per-route buckets and the overflow buckets (keyed by scope). */
    private final ConcurrentHashMap<Key, Bucket> kept = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, Bucket> overflow = new ConcurrentHashMap<>();
    private final TimeMeter clock;
    private final int maxBuckets;
    private final AtomicBoolean overflowLogged = new AtomicBoolean();
    private final AtomicLong overflowed = new AtomicLong();
    /** When a scan last found the map full of buckets still refilling, and how long the first of them needs. */
    private volatile long lastScanNanos;
    private volatile long noneFullForNanos = Long.MIN_VALUE; // scan at the first need

    /** Buckets on the system's nano clock, at most {@value #DEFAULT_MAX_BUCKETS} client buckets. */
    public InMemoryBucketBackend() {
        this(TimeMeter.SYSTEM_NANOTIME, DEFAULT_MAX_BUCKETS);
    }

    /** Buckets on {@code clock} (tests inject one), at most {@code maxBuckets} client buckets. */
    public InMemoryBucketBackend(TimeMeter clock, int maxBuckets) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("maxBuckets must be >= 1, was " + maxBuckets);
        }
        this.maxBuckets = maxBuckets;
    }

    /** Takes tokens from a bucket that is kept for the backend's life (see the class comment). */
    @Override
    public CompletionStage<Consumption> tryConsume(String key, BucketShape shape, long tokens) {
        return consume(kept(key, shape), tokens);
    }

    /** Takes tokens from a client's bucket, bounded as the class comment says. */
    @Override
    public CompletionStage<Consumption> tryConsumeClient(String scope, String key, BucketShape shape, long tokens) {
        return consume(clientBucket(scope, key, shape), tokens);
    }

    /** Adds tokens to a bucket that is kept for the backend's life. */
    @Override
    public CompletionStage<Void> addTokens(String key, BucketShape shape, long tokens) {
        kept(key, shape).addTokens(tokens);
        return DONE;
    }

    @Override
    public String name() {
        return "memory";
    }

    /** How many client buckets are kept now. */
    public int size() {
        return clients.size();
    }

    /** How many client requests were answered from an overflow bucket because the map was full. */
    public long overflowed() {
        return overflowed.get();
    }

    private static CompletionStage<Consumption> consume(Bucket bucket, long tokens) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(tokens);
        return CompletableFuture.completedFuture(new Consumption(probe.isConsumed(), probe.getRemainingTokens(),
                probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill(), true));
    }

    private Bucket kept(String key, BucketShape shape) {
        Key k = new Key(shape, key);
        Bucket bucket = kept.get(k);
        return bucket != null ? bucket : kept.computeIfAbsent(k, x -> newBucket(shape));
    }

    private Bucket clientBucket(String scope, String key, BucketShape shape) {
        long now = clock.currentTimeNanos();
        Key k = new Key(shape, key);
        Entry entry = clients.get(k);
        if (entry == null) {
            if (clients.size() >= maxBuckets && !dropFullBuckets(now)) {
                return overflowBucket(scope, shape);
            }
            entry = clients.computeIfAbsent(k, x -> new Entry(newBucket(shape), fullAfterNanos(shape), now));
        }
        entry.lastUsedNanos = now;
        return entry.bucket;
    }

    private Bucket overflowBucket(String scope, BucketShape shape) {
        overflowed.incrementAndGet();
        if (overflowLogged.compareAndSet(false, true)) {
            LOG.warn("{} rate-limit buckets are in use and none is full again yet: new clients of route {} share"
                    + " one overflow bucket until one is (raise the bound or use a shared backend)", maxBuckets, scope);
        } else {
            LOG.debug("rate-limit bucket map full: a new client of route {} uses the overflow bucket", scope);
        }
        Key k = new Key(shape, scope);
        Bucket bucket = overflow.get(k);
        return bucket != null ? bucket : overflow.computeIfAbsent(k, x -> newBucket(shape));
    }

    private Bucket newBucket(BucketShape shape) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(shape.capacity()).refillGreedy(shape.refillTokens(), shape.refillPeriod()))
                .withCustomTimePrecision(clock)
                .build();
    }

    /** Time for an empty bucket to refill completely (rounded up to whole refill periods). */
    private static long fullAfterNanos(BucketShape shape) {
        double periods = Math.ceil((double) shape.capacity() / shape.refillTokens());
        double nanos = periods * shape.refillPeriod().toNanos();
        return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) nanos;
    }

    /**
     * Drops the client buckets that are full again; whether there is room now. Skips the scan while no
     * bucket can be full yet (a last use only moves that time later).
     */
    private boolean dropFullBuckets(long now) {
        // differences of nano times only: the clock may start anywhere, even near overflow
        if (now - lastScanNanos < noneFullForNanos) {
            return false;
        }
        long soonest = Long.MAX_VALUE;
        for (Iterator<Map.Entry<Key, Entry>> it = clients.entrySet().iterator(); it.hasNext(); ) {
            Entry e = it.next().getValue();
            long idle = now - e.lastUsedNanos;
            if (idle >= e.fullAfterNanos) {
                it.remove();
            } else {
                soonest = Math.min(soonest, e.fullAfterNanos - idle);
            }
        }
        if (clients.size() < maxBuckets) {
            return true;
        }
        lastScanNanos = now;
        noneFullForNanos = soonest;
        return false;
    }
}
