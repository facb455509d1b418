package dev.upstreamguard.redis;

import io.github.bucket4j.TimeMeter;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Bucket4j time that moves only when a test says so; starts at the wall clock, as instances share it. */
final class ManualTimeMeter implements TimeMeter {
    private final AtomicLong nanos = new AtomicLong(System.currentTimeMillis() * 1_000_000L);

    @Override
    public long currentTimeNanos() {
        return nanos.get();
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
