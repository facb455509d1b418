package dev.upstreamguard.redis;

import dev.upstreamguard.core.BucketShape;
import dev.upstreamguard.core.Consumption;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Consumption semantics against a real Redis on loopback, with Bucket4j's time injected. */
class RedisBucketBackendTest {
    private static final String PREFIX = "ug-test:";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final BucketShape THREE_PER_TEN_SECONDS = new BucketShape("per-client", 3, 1, Duration.ofSeconds(10));
    private static LocalRedis redis;

    private final ManualTimeMeter clock = new ManualTimeMeter();
    private final List<RedisBucketBackend> backends = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = LocalRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void closeBackends() {
        backends.forEach(RedisBucketBackend::close);
        try (RedisClient client = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> raw = client.connect()) {
            raw.sync().flushall();
        }
    }

    private RedisBucketBackend backend(String prefix) {
        RedisBucketBackend backend = RedisBucketBackend.connect(redis.uri(), prefix, TIMEOUT, clock);
        backends.add(backend);
        return backend;
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void takesTokensUpToTheCapacityThenSaysHowLongToWait() throws Exception {
        RedisBucketBackend backend = backend(PREFIX);
        assertThat(await(backend.tryConsume("client-1", THREE_PER_TEN_SECONDS, 1))).isEqualTo(new Consumption(true, 2, 0, true));
        assertThat(await(backend.tryConsume("client-1", THREE_PER_TEN_SECONDS, 2))).isEqualTo(new Consumption(true, 0, 0, true));
        assertThat(await(backend.tryConsume("client-1", THREE_PER_TEN_SECONDS, 1)))
                .isEqualTo(new Consumption(false, 0, Duration.ofSeconds(10).toNanos(), true));
    }

    @Test
    void refillsGreedilyAsBucket4jTimeMoves() throws Exception {
        RedisBucketBackend backend = backend(PREFIX);
        assertThat(await(backend.tryConsume("client-1", THREE_PER_TEN_SECONDS, 3)).consumed()).isTrue();

        clock.advance(Duration.ofSeconds(4));
        assertThat(await(backend.tryConsume("client-1", THREE_PER_TEN_SECONDS, 1)))
                .isEqualTo(new Consumption(false, 0, Duration.ofSeconds(6).toNanos(), true));
        clock.advance(Duration.ofSeconds(6));
        assertThat(await(backend.tryConsume("client-1", THREE_PER_TEN_SECONDS, 1))).isEqualTo(new Consumption(true, 0, 0, true));
        clock.advance(Duration.ofMinutes(5));
        assertThat(await(backend.tryConsume("client-1", THREE_PER_TEN_SECONDS, 1)).remainingTokens())
                .as("never above the capacity").isEqualTo(2);
    }

    @Test
    void addedTokensCanBeTakenAgainUpToTheCapacity() throws Exception {
        RedisBucketBackend backend = backend(PREFIX);
        await(backend.tryConsume("client-1", THREE_PER_TEN_SECONDS, 3));
        await(backend.addTokens("client-1", THREE_PER_TEN_SECONDS, 2));
        assertThat(await(backend.tryConsume("client-1", THREE_PER_TEN_SECONDS, 2))).isEqualTo(new Consumption(true, 0, 0, true));

        await(backend.addTokens("client-1", THREE_PER_TEN_SECONDS, 100));
        assertThat(await(backend.tryConsume("client-1", THREE_PER_TEN_SECONDS, 1)).remainingTokens()).isEqualTo(2);
    }

    @Test
    void twoInstancesWithTheirOwnConnectionsShareOneLimit() throws Exception {
        RedisBucketBackend gatewayA = backend(PREFIX);
        RedisBucketBackend gatewayB = backend(PREFIX);

        assertThat(await(gatewayA.tryConsume("client-1", THREE_PER_TEN_SECONDS, 2)).remainingTokens()).isEqualTo(1);
        assertThat(await(gatewayB.tryConsume("client-1", THREE_PER_TEN_SECONDS, 1))).isEqualTo(new Consumption(true, 0, 0, true));
        assertThat(await(gatewayB.tryConsume("client-1", THREE_PER_TEN_SECONDS, 1)).consumed()).isFalse();
        assertThat(await(gatewayA.tryConsume("client-1", THREE_PER_TEN_SECONDS, 1)).consumed()).isFalse();

        await(gatewayB.addTokens("client-1", THREE_PER_TEN_SECONDS, 1));
        assertThat(await(gatewayA.tryConsume("client-1", THREE_PER_TEN_SECONDS, 1)).consumed()).isTrue();
    }

    @Test
    void keysShapesAndPrefixesAreSeparateBuckets() throws Exception {
        RedisBucketBackend backend = backend(PREFIX);
        RedisBucketBackend otherCluster = backend("other-cluster:");
        BucketShape otherPolicy = new BucketShape("retry-budget", 3, 1, Duration.ofSeconds(10));
        await(backend.tryConsume("client-1", THREE_PER_TEN_SECONDS, 3));

        assertThat(await(backend.tryConsume("client-2", THREE_PER_TEN_SECONDS, 1)).remainingTokens()).isEqualTo(2);
        assertThat(await(backend.tryConsume("client-1", otherPolicy, 1)).remainingTokens()).isEqualTo(2);
        assertThat(await(otherCluster.tryConsume("client-1", THREE_PER_TEN_SECONDS, 1)).remainingTokens()).isEqualTo(2);
    }

    @Test
    void storesEachBucketUnderPrefixShapeAndKeyWithAnExpiry() throws Exception {
        await(backend(PREFIX).tryConsume("203.0.113.7", THREE_PER_TEN_SECONDS, 1));
        try (RedisClient client = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> raw = client.connect()) {
            assertThat(raw.sync().keys("*")).containsExactly("ug-test:per-client:203.0.113.7");
            // full again in 10 s, kept 10 s more
            assertThat(raw.sync().pttl("ug-test:per-client:203.0.113.7"))
                    .isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10).plus(RedisBucketBackend.KEEP_AFTER_REFILL).toMillis());
        }
    }

    @Test
    void refusesTokenCountsBelowOne() {
        RedisBucketBackend backend = backend(PREFIX);
        assertThatThrownBy(() -> backend.tryConsume("k", THREE_PER_TEN_SECONDS, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("tokens");
        assertThatThrownBy(() -> backend.addTokens("k", THREE_PER_TEN_SECONDS, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("tokens");
    }

    @Test
    void afterCloseCallsFailAndTheConnectionIsGone() {
        RedisBucketBackend backend = backend(PREFIX);
        assertThat(backend.isConnected()).isTrue();
        assertThat(backend.name()).isEqualTo("redis");
        backend.close();
        backend.close();

        assertThat(backend.isConnected()).isFalse();
        assertThatThrownBy(() -> await(backend.tryConsume("k", THREE_PER_TEN_SECONDS, 1)))
                .isInstanceOf(ExecutionException.class);
    }

    @Test
    void aRedisThatIsNotThereAtStartDoesNotFailTheConnectButEachCall() {
        LocalRedis gone = LocalRedis.start();
        gone.kill();
        long start = System.nanoTime();
        RedisBucketBackend backend = RedisBucketBackend.connect("redis://:secret@127.0.0.1:" + gone.port(), PREFIX,
                Duration.ofMillis(500), clock);
        backends.add(backend);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(backend.isConnected()).isFalse();
        assertThat(backend).hasToString("RedisBucketBackend[redis://***@127.0.0.1:" + gone.port() + ", prefix=ug-test:]");
        assertThatThrownBy(() -> await(backend.tryConsume("k", THREE_PER_TEN_SECONDS, 1)))
                .isInstanceOf(ExecutionException.class)
                .cause().satisfies(c -> assertThat(c.getClass().getName()).isEqualTo("io.lettuce.core.RedisConnectionException"));
    }

    @Test
    void anInvalidUriIsRefusedBeforeAnyConnection() {
        assertThatThrownBy(() -> RedisBucketBackend.connect("http://user:secret@127.0.0.1", PREFIX, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://***@127.0.0.1")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> RedisBucketBackend.connect(redis.uri(), PREFIX, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("commandTimeout");
    }

    @Test
    void aRedisThatDoesNotAnswerFailsTheCallAfterTheCommandTimeout() {
        RedisBucketBackend backend = RedisBucketBackend.connect(redis.uri(), PREFIX, Duration.ofMillis(300), clock);
        backends.add(backend);
        redis.freeze();
        try {
            assertThatThrownBy(() -> await(backend.tryConsume("k", THREE_PER_TEN_SECONDS, 1)))
                    .isInstanceOf(ExecutionException.class)
                    .cause().satisfies(c -> assertThat(c.getClass().getName()).isEqualTo("io.lettuce.core.RedisCommandTimeoutException"));
        } finally {
            redis.thaw();
        }
    }
}
