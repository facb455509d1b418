package dev.upstreamguard.core.admission;

import dev.upstreamguard.core.limits.InMemoryBucketBackend;
import dev.upstreamguard.core.policy.RateLimitPolicy;
import dev.upstreamguard.core.policy.RetryPolicy;
import dev.upstreamguard.core.retry.RetryBudget;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full in-memory bucket map never hands an exhausted client a fresh burst, and never drops a retry
 * budget: new clients share an overflow bucket until a bucket is full again.
 */
class RateLimitEvictionTest {
    private static final RateLimitPolicy FIVE_PER_MINUTE = RateLimitPolicy.perAddress("default", 5, Duration.ofMinutes(1));
    private static final int CAPACITY = 50;

    private final FakeClock clock = new FakeClock();
    private final InMemoryBucketBackend backend = new InMemoryBucketBackend(clock, CAPACITY);
    private final RateLimiter limiter = new RateLimiter("orders", FIVE_PER_MINUTE, backend);

    private boolean allowed(String client) {
        return limiter.tryAcquire("addr:" + client).toCompletableFuture().getNow(null).allowed();
    }

    private int allowedOf(String client, int requests) {
        int allowed = 0;
        for (int i = 0; i < requests; i++) {
            allowed += allowed(client) ? 1 : 0;
        }
        return allowed;
    }

    private static String old(int i) {
        return "192.0.2." + i;
    }

    @Test
    void fiftyExhaustedClientsStayExhaustedWhileNewClientsArrive() {
        for (int i = 0; i < CAPACITY; i++) {
            assertThat(allowedOf(old(i), 6)).isEqualTo(5);
        }
        int newAllowed = 0;
        for (int i = 0; i < 200; i++) {
            newAllowed += allowed("198.51.100." + i) ? 1 : 0;
        }
        assertThat(newAllowed).as("new clients share one overflow bucket").isEqualTo(5);
        for (int i = 0; i < CAPACITY; i++) {
            assertThat(allowed(old(i))).as("client %s stays exhausted", i).isFalse();
        }

        clock.advance(Duration.ofSeconds(30)); // 2.5 tokens back in each old bucket: none is full
        for (int i = 0; i < 100; i++) {
            allowed("203.0.113." + i);
        }
        for (int i = 0; i < CAPACITY; i++) {
            assertThat(allowedOf(old(i), 5)).as("client %s gets what refilled, not a fresh burst", i).isEqualTo(2);
        }
        assertThat(backend.size()).isEqualTo(CAPACITY);

        clock.advance(Duration.ofSeconds(61)); // every old bucket (last used at 30 s) is full again
        assertThat(allowedOf("2001:db8::1", 6)).as("a new client gets its own bucket").isEqualTo(5);
        assertThat(backend.size()).isEqualTo(1);
    }

    @Test
    void aRetryBudgetSurvivesAFloodOfClients() {
        RetryBudget budget = new RetryBudget("orders", RetryPolicy.defaults().withBudget(0.2, 1), backend);
        int granted = 0;
        while (granted < 1_000 && take(budget)) {
            granted++;
        }
        assertThat(granted).isBetween(1, 999);
        for (int i = 0; i < 10 * CAPACITY; i++) {
            allowed("198.51.100." + (i % 250) + "-" + i);
        }
        assertThat(take(budget)).as("the exhausted budget was not reset").isFalse();
        RetryBudget other = new RetryBudget("users", RetryPolicy.defaults().withBudget(0.2, 1), backend);
        assertThat(take(other)).as("a new route's budget is not crowded out").isTrue();
    }

    private static boolean take(RetryBudget budget) {
        return budget.tryAcquireRetry().toCompletableFuture().getNow(null);
    }
}
