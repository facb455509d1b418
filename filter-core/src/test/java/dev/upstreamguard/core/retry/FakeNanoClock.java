package dev.upstreamguard.core.retry;

import io.github.bucket4j.TimeMeter;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** One injected monotonic clock for the retrier (a LongSupplier) and the budget's buckets (a TimeMeter). */
final class FakeNanoClock implements LongSupplier, TimeMeter {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);

    @Override
    public long getAsLong() {
        return now.get();
    }

    @Override
    public long currentTimeNanos() {
        return now.get();
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
