package dev.upstreamguard.core.admission;

import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.BucketShape;
import dev.upstreamguard.core.Consumption;
import dev.upstreamguard.core.limits.InMemoryBucketBackend;
import dev.upstreamguard.core.policy.RateLimitPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {
    private static final Function<String, String> NO_HEADERS = name -> null;

    private final FakeClock clock = new FakeClock();
    private final InMemoryBucketBackend memory = new InMemoryBucketBackend(clock, 1_000);
    private final AdmissionEventRecorder recorder = new AdmissionEventRecorder();

    private RateLimiter limiter(RateLimitPolicy policy) {
        return new RateLimiter("orders", policy, memory, recorder);
    }

    private static RateLimitDecision take(RateLimiter limiter, String key) {
        return limiter.tryAcquire(key).toCompletableFuture().getNow(null);
    }

    private void advance(Duration d) {
        clock.advance(d);
    }

    @Test
    void allowsTheLimitThenRefusesWithTheRefillTimeRoundedUp() {
        RateLimiter limiter = limiter(RateLimitPolicy.perAddress("default", 5, Duration.ofSeconds(1)));
        for (int i = 4; i >= 0; i--) {
            RateLimitDecision d = take(limiter, "addr:192.0.2.1");
            assertThat(d.allowed()).isTrue();
            assertThat(d.remaining()).isEqualTo(i);
            assertThat(d.retryAfter()).isEqualTo(Duration.ZERO);
            assertThat(d.resetSeconds()).isEqualTo(1);
            assertThat(d.fromBackend()).isTrue();
        }
        RateLimitDecision refused = take(limiter, "addr:192.0.2.1");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(1)); // 200 ms to the next token
        assertThat(refused.resetSeconds()).isEqualTo(1);
        assertThat(refused.limit()).isEqualTo(5);
    }

    @Test
    void retryAfterAndResetAreExactOnSlowRefills() {
        // 2 per 10 s: one token every 5 s
        RateLimiter limiter = limiter(RateLimitPolicy.perAddress("slow", 2, Duration.ofSeconds(10)));
        assertThat(take(limiter, "k").resetSeconds()).isEqualTo(5);
        assertThat(take(limiter, "k").resetSeconds()).isEqualTo(10);

        RateLimitDecision refused = take(limiter, "k");
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(refused.resetSeconds()).isEqualTo(5);

        advance(Duration.ofMillis(2_500));
        assertThat(take(limiter, "k").retryAfter()).isEqualTo(Duration.ofSeconds(3)); // 2.5 s rounded up

        advance(Duration.ofMillis(2_499));
        assertThat(take(limiter, "k").retryAfter()).isEqualTo(Duration.ofSeconds(1)); // 1 ms rounded up to 1 s

        advance(Duration.ofMillis(1));
        RateLimitDecision allowed = take(limiter, "k");
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.remaining()).isZero();
        assertThat(allowed.resetSeconds()).isEqualTo(10);
    }

    @Test
    void burstAboveTheLimitIsAvailableAtOnceAndRefillsAtTheLimit() {
        RateLimiter limiter = limiter(RateLimitPolicy.perAddress("default", 10, Duration.ofSeconds(1)).withBurst(20));
        RateLimitDecision first = take(limiter, "k");
        assertThat(first.remaining()).isEqualTo(19);
        assertThat(first.resetSeconds()).isEqualTo(1); // 1 missing token at 10/s
        for (int i = 0; i < 19; i++) {
            assertThat(take(limiter, "k").allowed()).isTrue();
        }
        assertThat(take(limiter, "k").allowed()).isFalse();

        advance(Duration.ofSeconds(1)); // 10 tokens back, not 20
        for (int i = 0; i < 10; i++) {
            assertThat(take(limiter, "k").allowed()).isTrue();
        }
        assertThat(take(limiter, "k").allowed()).isFalse();
        advance(Duration.ofSeconds(2));
        RateLimitDecision refilled = take(limiter, "k");
        assertThat(refilled.remaining()).isEqualTo(19);
    }

    @Test
    void aBurstBelowTheLimitSmoothsTraffic() {
        RateLimiter limiter = limiter(RateLimitPolicy.perAddress("default", 100, Duration.ofSeconds(1)).withBurst(2));
        assertThat(take(limiter, "k").allowed()).isTrue();
        assertThat(take(limiter, "k").allowed()).isTrue();
        assertThat(take(limiter, "k").allowed()).isFalse();
        advance(Duration.ofMillis(10));
        assertThat(take(limiter, "k").allowed()).isTrue();
    }

    @Test
    void headersAreTheDraftsStructuredFieldsOnAllowedAndRefusedResponses() {
        RateLimiter limiter = limiter(RateLimitPolicy.perAddress("default", 100, Duration.ofSeconds(1)));
        assertThat(take(limiter, "k").headers()).containsExactly(
                Map.entry("RateLimit-Policy", "\"default\";q=100;w=1"),
                Map.entry("RateLimit", "\"default\";r=99;t=1"));
        for (int i = 0; i < 99; i++) {
            take(limiter, "k");
        }
        assertThat(take(limiter, "k").headers()).containsExactly(
                Map.entry("RateLimit-Policy", "\"default\";q=100;w=1"),
                Map.entry("RateLimit", "\"default\";r=0;t=1"));

        RateLimiter hourly = limiter(RateLimitPolicy.perAddress("per-hour_1", 60, Duration.ofHours(1)));
        assertThat(take(hourly, "k").headers()).containsExactly(
                Map.entry("RateLimit-Policy", "\"per-hour_1\";q=60;w=3600"),
                Map.entry("RateLimit", "\"per-hour_1\";r=59;t=60"));
    }

    @Test
    void clientsAndRoutesHaveSeparateBuckets() {
        RateLimitPolicy oneAMinute = RateLimitPolicy.perAddress("default", 1, Duration.ofMinutes(1));
        RateLimiter orders = limiter(oneAMinute);
        RateLimiter users = new RateLimiter("users", oneAMinute, memory);
        assertThat(take(orders, "addr:192.0.2.1").allowed()).isTrue();
        assertThat(take(orders, "addr:192.0.2.1").allowed()).isFalse();
        assertThat(take(orders, "addr:192.0.2.2").allowed()).isTrue();
        assertThat(take(users, "addr:192.0.2.1").allowed()).isTrue();
    }

    @Test
    void keysByAddressIgnoreHeaders() {
        RateLimiter limiter = limiter(RateLimitPolicy.perAddress("default", 10, Duration.ofSeconds(1)));
        assertThat(limiter.key("192.0.2.1", name -> "ignored")).isEqualTo("addr:192.0.2.1");
        assertThat(limiter.key("2001:db8::1", null)).isEqualTo("addr:2001:db8:0:0:0:0:0:0/64"); // its /64
        assertThat(limiter.key(null, NO_HEADERS)).isEqualTo("addr:unknown");
        assertThat(limiter.key(" ", NO_HEADERS)).isEqualTo("addr:unknown");
    }

    @Test
    void keysByHeaderFallBackToTheAddressWhenAbsentOrBlank() {
        RateLimiter limiter = limiter(RateLimitPolicy.perAddress("default", 10, Duration.ofSeconds(1))
                .keyedByHeader("X-Api-Key"));
        assertThat(limiter.key("192.0.2.1", name -> name.equals("X-Api-Key") ? " key-123 " : null))
                .isEqualTo("hdr:key-123");
        assertThat(limiter.key("192.0.2.1", NO_HEADERS)).isEqualTo("addr:192.0.2.1");
        assertThat(limiter.key("192.0.2.1", name -> "  ")).isEqualTo("addr:192.0.2.1");
        // a header value cannot reach an address's bucket
        assertThat(limiter.key("192.0.2.9", name -> "192.0.2.1")).isNotEqualTo(limiter.key("192.0.2.1", NO_HEADERS));
    }

    @Test
    void longKeysAreHashedToABoundedLength() {
        RateLimiter limiter = limiter(RateLimitPolicy.perAddress("default", 10, Duration.ofSeconds(1))
                .keyedByHeader("X-Api-Key"));
        String atLimit = "k".repeat(128);
        assertThat(limiter.key("192.0.2.1", name -> atLimit)).isEqualTo("hdr:" + atLimit);

        String longA = "a".repeat(10_000);
        String longB = "a".repeat(9_999) + "b";
        String keyA = limiter.key("192.0.2.1", name -> longA);
        assertThat(keyA).startsWith("hdr-sha256:").hasSize("hdr-sha256:".length() + 43);
        assertThat(limiter.key("192.0.2.7", name -> longA)).isEqualTo(keyA);
        assertThat(limiter.key("192.0.2.1", name -> longB)).isNotEqualTo(keyA);
        assertThat(limiter.key("x".repeat(500), NO_HEADERS)).startsWith("addr-sha256:").hasSize(12 + 43);
    }

    @Test
    void aRefusalIsReportedWithTheRetryAfterSent() {
        RateLimiter limiter = limiter(RateLimitPolicy.perAddress("default", 1, Duration.ofSeconds(30)));
        take(limiter, "k");
        assertThat(recorder.events).isEmpty();
        take(limiter, "k");
        assertThat(recorder.events).containsExactly(
                new AdmissionEvent("orders", AdmissionEvent.Kind.RATE_LIMITED, 429, 30));
    }

    @Test
    void aDisabledPolicyAllowsWithoutHeadersOrBackend() {
        ScriptedBackend backend = new ScriptedBackend(new Consumption(false, 0, 1, true));
        RateLimiter limiter = new RateLimiter("orders", RateLimitPolicy.defaults(), backend, recorder);
        RateLimitDecision d = take(limiter, "k");
        assertThat(d.allowed()).isTrue();
        assertThat(d.limited()).isFalse();
        assertThat(d.headers()).isEmpty();
        assertThat(backend.calls).hasValue(0);
        assertThat(recorder.events).isEmpty();
    }

    @Test
    void decisionsTheBackendCouldNotMakeFollowTheFailureModesAnswerAndSaySo() {
        RateLimitPolicy policy = RateLimitPolicy.perAddress("default", 100, Duration.ofSeconds(1));
        RateLimitDecision open = take(new RateLimiter("orders", policy,
                new ScriptedBackend(new Consumption(true, 0, 0, false)), recorder), "k");
        assertThat(open.allowed()).isTrue();
        assertThat(open.fromBackend()).isFalse();
        assertThat(open.headers()).contains(Map.entry("RateLimit", "\"default\";r=0;t=1"));

        RateLimitDecision closed = take(new RateLimiter("orders", policy,
                new ScriptedBackend(new Consumption(false, 0, 0, false)), recorder), "k");
        assertThat(closed.allowed()).isFalse();
        assertThat(closed.fromBackend()).isFalse();
        assertThat(closed.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(recorder.events).singleElement()
                .extracting(AdmissionEvent::kind).isEqualTo(AdmissionEvent.Kind.RATE_LIMITED);
    }

    @Test
    void theBackendIsAskedForOneTokenOfThePolicysShapeUnderTheRouteAndClientKey() {
        ScriptedBackend backend = new ScriptedBackend(new Consumption(true, 9, 0, true));
        RateLimitPolicy policy = RateLimitPolicy.perAddress("api", 10, Duration.ofSeconds(1)).withBurst(15);
        take(new RateLimiter("orders", policy, backend), "addr:192.0.2.1");
        assertThat(backend.lastKey).isEqualTo("orders|addr:192.0.2.1");
        assertThat(backend.lastShape).isEqualTo(new BucketShape("api", 15, 10, Duration.ofSeconds(1)));
        assertThat(backend.lastTokens).isEqualTo(1);
    }

    @Test
    void theRequestShortcutUsesTheSameBucketKeyAsKeyThenTryAcquire() {
        RateLimitPolicy policy = RateLimitPolicy.perAddress("api", 10, Duration.ofSeconds(1)).keyedByHeader("X-Api-Key");
        String longValue = "a".repeat(500);
        for (Function<String, String> headers : List.<Function<String, String>>of(NO_HEADERS, name -> " key-1 ",
                name -> longValue)) {
            ScriptedBackend viaKey = new ScriptedBackend(new Consumption(true, 9, 0, true));
            RateLimiter limiter = new RateLimiter("orders", policy, viaKey);
            take(limiter, limiter.key("192.0.2.1", headers));
            ScriptedBackend direct = new ScriptedBackend(new Consumption(true, 9, 0, true));
            new RateLimiter("orders", policy, direct).tryAcquire("192.0.2.1", headers).toCompletableFuture().join();

            assertThat(direct.lastKey).startsWith("orders|").isEqualTo(viaKey.lastKey);
        }
    }

    /** A backend that answers every call with one consumption. */
    private static final class ScriptedBackend implements BucketBackend {
        final AtomicInteger calls = new AtomicInteger();
        final Consumption answer;
        volatile String lastKey;
        volatile BucketShape lastShape;
        volatile long lastTokens;

        ScriptedBackend(Consumption answer) {
            this.answer = answer;
        }

        @Override
        public CompletionStage<Consumption> tryConsume(String key, BucketShape shape, long tokens) {
            calls.incrementAndGet();
            lastKey = key;
            lastShape = shape;
            lastTokens = tokens;
            return CompletableFuture.completedFuture(answer);
        }

        @Override
        public CompletionStage<Void> addTokens(String key, BucketShape shape, long tokens) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public String name() {
            return "scripted";
        }
    }

    @Test
    void listenersSeeNothingForAllowedRequests() {
        RateLimiter limiter = limiter(RateLimitPolicy.perAddress("default", 3, Duration.ofSeconds(1)));
        List.of("a", "b", "c").forEach(k -> take(limiter, k));
        assertThat(recorder.events).isEmpty();
    }
}
