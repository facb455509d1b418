package dev.upstreamguard.core.limits;

import dev.upstreamguard.core.BucketShape;
import dev.upstreamguard.core.Consumption;
import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryBucketBackendTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final TimeMeter clock = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return now.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };
    private final BucketShape tenPerSecond = new BucketShape("rps", 10, 10, Duration.ofSeconds(1));

    private Consumption take(InMemoryBucketBackend backend, String key, long n) {
        return backend.tryConsume(key, tenPerSecond, n).toCompletableFuture().getNow(null);
    }

    @Test
    void aBucketStartsFullAndRefillsGreedilyOnTheInjectedClock() {
        InMemoryBucketBackend backend = new InMemoryBucketBackend(clock, 100);
        for (int i = 0; i < 10; i++) {
            assertThat(take(backend, "client-a", 1).consumed()).isTrue();
        }
        Consumption refused = take(backend, "client-a", 1);
        assertThat(refused.consumed()).isFalse();
        assertThat(refused.remainingTokens()).isZero();
        assertThat(refused.nanosToWaitForRefill()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(refused.fromBackend()).isTrue();

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
        Consumption afterRefill = take(backend, "client-a", 1);
        assertThat(afterRefill.consumed()).isTrue();
        assertThat(afterRefill.remainingTokens()).isZero();
    }

    @Test
    void keysAndShapesAreSeparateBuckets() {
        InMemoryBucketBackend backend = new InMemoryBucketBackend(clock, 100);
        assertThat(take(backend, "a", 10).consumed()).isTrue();
        assertThat(take(backend, "b", 10).consumed()).isTrue();
        BucketShape other = new BucketShape("burst", 10, 10, Duration.ofSeconds(1));
        assertThat(backend.tryConsume("a", other, 10).toCompletableFuture().getNow(null).consumed()).isTrue();
        assertThat(take(backend, "a", 1).consumed()).isFalse();
    }

    @Test
    void addTokensIsCappedAtTheCapacity() {
        InMemoryBucketBackend backend = new InMemoryBucketBackend(clock, 100);
        take(backend, "a", 10);
        backend.addTokens("a", tenPerSecond, 3);
        assertThat(take(backend, "a", 3).consumed()).isTrue();
        backend.addTokens("a", tenPerSecond, 1000);
        assertThat(take(backend, "a", 10).remainingTokens()).isZero();
        assertThat(take(backend, "a", 1).consumed()).isFalse();
    }

    private Consumption client(InMemoryBucketBackend backend, String key, long n) {
        return backend.tryConsumeClient("route", key, tenPerSecond, n).toCompletableFuture().getNow(null);
    }

    @Test
    void memoryIsBoundedAndFullIdleBucketsGoFirstWithoutChangingTheOutcome() {
        InMemoryBucketBackend backend = new InMemoryBucketBackend(clock, 3);
        client(backend, "drained", 10);
        client(backend, "idle-1", 1);
        client(backend, "idle-2", 1);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(client(backend, "drained", 5).consumed()).isTrue(); // used recently, empty again
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(600)); // idle-1/2 idle 1.1 s: full again; drained holds 6
        client(backend, "new", 1);
        assertThat(backend.size()).isEqualTo(2); // idle-1 and idle-2 dropped, "new" added
        assertThat(backend.overflowed()).isZero();
        // the drained bucket was kept (a new one would start full): it has only the 6 that refilled
        assertThat(client(backend, "drained", 10).consumed()).isFalse();
    }

    @Test
    void aBucketStillRefillingIsNeverDroppedNewClientsShareTheOverflowBucketMeanwhile() {
        InMemoryBucketBackend backend = new InMemoryBucketBackend(clock, 2);
        client(backend, "a", 10);
        client(backend, "b", 10);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(900)); // a and b hold 9 each: not full
        for (int i = 0; i < 5; i++) {
            assertThat(client(backend, "new-" + i, 2).consumed()).isTrue(); // 5 x 2 from the overflow bucket
        }
        assertThat(client(backend, "new-5", 1).consumed()).isFalse(); // the overflow bucket is empty
        assertThat(backend.size()).isEqualTo(2);
        assertThat(backend.overflowed()).isEqualTo(6);
        assertThat(client(backend, "a", 10).consumed()).isFalse(); // its 9, not a fresh 10
        assertThat(client(backend, "b", 9).consumed()).isTrue();

        now.addAndGet(TimeUnit.SECONDS.toNanos(1)); // a and b (last used at 0.9 s) are full again
        assertThat(client(backend, "new-6", 10).consumed()).isTrue(); // its own bucket
        assertThat(backend.overflowed()).isEqualTo(6);
    }

    @Test
    void perRouteBucketsAreNeverDroppedNorCrowdedOutByClients() {
        InMemoryBucketBackend backend = new InMemoryBucketBackend(clock, 1);
        take(backend, "budget", 10);
        for (int i = 0; i < 100; i++) {
            client(backend, "client-" + i, 1);
        }
        assertThat(take(backend, "budget", 1).consumed()).isFalse(); // still empty: never reset
        assertThat(take(backend, "another-budget", 10).consumed()).isTrue(); // created although the map is full
        assertThat(backend.size()).isEqualTo(1);
    }

    @Test
    void shapesAreValidated() {
        assertThatThrownBy(() -> new BucketShape("Bad Name", 1, 1, Duration.ofSeconds(1))).hasMessageContaining("name");
        assertThatThrownBy(() -> new BucketShape("x", 0, 1, Duration.ofSeconds(1))).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new BucketShape("x", 1, 0, Duration.ofSeconds(1))).hasMessageContaining("refillTokens");
        assertThatThrownBy(() -> new BucketShape("x", 1, 1, Duration.ZERO)).hasMessageContaining("refillPeriod");
        assertThatThrownBy(() -> new BucketShape("x", 1, 2_000_000_000L, Duration.ofSeconds(1))).hasMessageContaining("refill rate");
        assertThatThrownBy(() -> new InMemoryBucketBackend(clock, 0)).hasMessageContaining("maxBuckets");
    }
}
