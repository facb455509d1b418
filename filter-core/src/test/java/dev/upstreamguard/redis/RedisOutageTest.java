package dev.upstreamguard.redis;

import dev.upstreamguard.core.BackendFailureEvent;
import dev.upstreamguard.core.BackendFailureMode;
import dev.upstreamguard.core.BucketShape;
import dev.upstreamguard.core.Consumption;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.limits.FailSafeBucketBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis killed, frozen and restarted under two gateway-side wrappers, one failing open and one failing
 * closed, over the same {@link RedisBucketBackend}: the modes answer within the timeout while Redis is gone,
 * and the same backend works again once Redis is back.
 */
class RedisOutageTest {
    // refills one token an hour: no token comes back between two calls, however slow the machine
    private static final BucketShape SHAPE = new BucketShape("per-client", 100, 100, Duration.ofHours(1));
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Duration DENY_RETRY_AFTER = Duration.ofSeconds(1);

    private final LocalRedis redis = LocalRedis.start();
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final List<BackendFailureEvent> events = new CopyOnWriteArrayList<>();
    private final GuardListener listener = new GuardListener() {
        @Override
        public void onBackendFailure(BackendFailureEvent event) {
            events.add(event);
        }
    };
    private final RedisBucketBackend backend = RedisBucketBackend.connect(redis.uri(), "ug-outage:", Duration.ofSeconds(2));
    private final FailSafeBucketBackend failOpen = wrap(BackendFailureMode.ALLOW);
    private final FailSafeBucketBackend failClosed = wrap(BackendFailureMode.DENY);

    private FailSafeBucketBackend wrap(BackendFailureMode mode) {
        timer.setRemoveOnCancelPolicy(true);
        return new FailSafeBucketBackend(backend, FailSafeBucketBackend.Settings.of(TIMEOUT, mode)
                .withDenyRetryAfter(DENY_RETRY_AFTER).withPause(3, Duration.ofMillis(200)), listener, timer);
    }

    @AfterEach
    void stop() {
        backend.close();
        timer.shutdownNow();
        redis.close();
    }

    @Test
    void killedThenRestartedOnTheSamePort() throws Exception {
        // on a loaded machine the first connection may still be under way (connect() does not wait forever)
        awaitTrue(() -> {
            try {   // another key, so client-1's counts below are untouched; a call also retries a failed first connect
                return backend.tryConsume("warm-up", SHAPE, 1).toCompletableFuture().get(2, TimeUnit.SECONDS) != null;
            } catch (Exception notYet) {
                return false;
            }
        }, "the backend reaches the fresh Redis");
        assertThat(answer(failOpen.tryConsume("client-1", SHAPE, 1))).isEqualTo(new Consumption(true, 99, 0, true));
        assertThat(answer(failClosed.tryConsume("client-1", SHAPE, 1))).isEqualTo(new Consumption(true, 98, 0, true));

        redis.kill();
        awaitTrue(() -> !backend.isConnected(), "the connection notices that Redis is gone");
        for (int i = 0; i < 5; i++) { // also past the 3 failures that start a pause
            assertThat(answer(failOpen.tryConsume("client-1", SHAPE, 1))).isEqualTo(new Consumption(true, 0, 0, false));
            assertThat(answer(failClosed.tryConsume("client-1", SHAPE, 1)))
                    .isEqualTo(new Consumption(false, 0, DENY_RETRY_AFTER.toNanos(), false));
        }
        answer(failClosed.addTokens("client-1", SHAPE, 1));
        assertThat(events).hasSize(11);
        assertThat(events).extracting(BackendFailureEvent::backend).containsOnly("redis");
        assertThat(events).filteredOn(e -> e.mode() == BackendFailureMode.ALLOW).hasSize(5);
        assertThat(events.get(0).cause().getClass().getName()).startsWith("io.lettuce.core.");

        redis.restart();
        awaitTrue(() -> answer(failOpen.tryConsume("client-1", SHAPE, 1)).fromBackend(), "the fail-open wrapper reaches Redis again");
        awaitTrue(() -> answer(failClosed.tryConsume("client-1", SHAPE, 1)).fromBackend(), "the fail-closed wrapper reaches Redis again");
        assertThat(answer(failClosed.tryConsume("client-1", SHAPE, 1)))
                .as("a fresh Redis: nothing was persisted").matches(c -> c.consumed() && c.fromBackend() && c.remainingTokens() >= 96);
    }

    @Test
    void frozenRedisIsAnsweredByTheModeWithinTheTimeout() throws Exception {
        assertThat(answer(failOpen.tryConsume("client-1", SHAPE, 1)).fromBackend()).isTrue();
        redis.freeze();
        try {
            long start = System.nanoTime();
            CompletionStage<Consumption> open = failOpen.tryConsume("client-1", SHAPE, 1);
            CompletionStage<Consumption> closed = failClosed.tryConsume("client-1", SHAPE, 1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the calls themselves do not wait").isLessThan(TIMEOUT);

            assertThat(answer(open)).isEqualTo(new Consumption(true, 0, 0, false));
            assertThat(answer(closed)).isEqualTo(new Consumption(false, 0, DENY_RETRY_AFTER.toNanos(), false));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(TIMEOUT, TIMEOUT.multipliedBy(20)); // not a hang: the timer answered (generous for loaded CI machines)
            assertThat(events).hasSize(2).allSatisfy(e ->
                    assertThat(e.cause()).isInstanceOf(java.util.concurrent.TimeoutException.class));
        } finally {
            redis.thaw();
        }
        awaitTrue(() -> answer(failOpen.tryConsume("client-1", SHAPE, 1)).fromBackend(), "Redis answers again once thawed");
    }

    @Test
    void startedWhileRedisIsDownThenRedisArrives() {
        redis.kill();
        try (RedisBucketBackend late = RedisBucketBackend.connect(redis.uri(), "ug-outage:", Duration.ofMillis(500))) {
            FailSafeBucketBackend guard = new FailSafeBucketBackend(late,
                    FailSafeBucketBackend.Settings.of(TIMEOUT, BackendFailureMode.DENY), listener, timer);
            assertThat(late.isConnected()).isFalse();
            assertThat(answer(guard.tryConsume("client-1", SHAPE, 1))).isEqualTo(new Consumption(false, 0, DENY_RETRY_AFTER.toNanos(), false));

            redis.restart();
            awaitTrue(() -> answer(guard.tryConsume("client-1", SHAPE, 1)).fromBackend(), "the first connection is made on a later call");
            assertThat(late.isConnected()).isTrue();
        }
    }

    private static <T> T answer(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception ex) {
            throw new AssertionError("no answer within three timeouts", ex);
        }
    }

    /** Polls a condition every 10 ms for at most 10 s. */
    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 10 s: " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }
}
