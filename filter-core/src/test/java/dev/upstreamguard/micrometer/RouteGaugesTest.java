package dev.upstreamguard.micrometer;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.ConcurrencyPolicy;
import dev.upstreamguard.core.GuardListeners;
import dev.upstreamguard.core.policy.PassiveHealthPolicy;
import dev.upstreamguard.core.lifecycle.ClientRequest;
import dev.upstreamguard.core.lifecycle.GuardedExchange;
import dev.upstreamguard.core.lifecycle.RouteGuard;
import dev.upstreamguard.core.lifecycle.RouteGuards;
import dev.upstreamguard.core.lifecycle.Verdict;
import dev.upstreamguard.core.BackendFailureMode;
import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.BucketShape;
import dev.upstreamguard.core.Consumption;
import dev.upstreamguard.core.limits.FailSafeBucketBackend;
import dev.upstreamguard.core.limits.InMemoryBucketBackend;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.RetryPolicy;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.upstreamguard.micrometer.UpstreamGuardMetrics.ATTEMPT_DURATION;
import static dev.upstreamguard.micrometer.UpstreamGuardMetrics.BACKEND_UP;
import static dev.upstreamguard.micrometer.UpstreamGuardMetrics.CONCURRENCY_LIMIT;
import static dev.upstreamguard.micrometer.UpstreamGuardMetrics.IN_FLIGHT;
import static dev.upstreamguard.micrometer.UpstreamGuardMetrics.PERMITS_IN_USE;
import static dev.upstreamguard.micrometer.UpstreamGuardMetrics.REQUESTS;
import static dev.upstreamguard.micrometer.UpstreamGuardMetrics.RETRY_BACKOFF;
import static dev.upstreamguard.micrometer.UpstreamGuardMetrics.RETRY_BUDGET_REMAINING;
import static dev.upstreamguard.micrometer.UpstreamGuardMetrics.UPSTREAMS;
import static dev.upstreamguard.micrometer.UpstreamGuardMetrics.UPSTREAMS_EJECTED;
import static dev.upstreamguard.micrometer.UpstreamGuardMetrics.UPSTREAM_EJECTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gauges and timers of a real route guard driven through admission, failures, an ejection and a spent
 * retry budget on an injected clock, and released with their route.
 */
class RouteGaugesTest {
    private static final UpstreamFailure REFUSED = UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT);
    private static final ClientRequest GET = ClientRequest.of("GET", "203.0.113.9", new ClientRequest.Headers() {
        @Override
        public String first(String name) {
            return null;
        }

        @Override
        public List<String> all(String name) {
            return List.of();
        }
    });

    private final AtomicLong clock = new AtomicLong(5_000_000_000L);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final UpstreamGuardMetrics metrics = new UpstreamGuardMetrics(registry);
    private final RouteGuards routes = new RouteGuards();

    /**
     * Two upstreams, one failure ejects (at most one of two), a budget of exactly one retry that never
     * refills during the test, two concurrency slots; buckets on the same clock.
     */
    private UpstreamGuard guard() {
        GuardPolicy policy = GuardPolicy.builder()
                .retry(RetryPolicy.defaults().withMaxAttempts(3).withBudget(0.0, 0))
                .health(new PassiveHealthPolicy(true, 1, Duration.ofSeconds(30), Duration.ofMinutes(5), 50, false))
                .concurrency(ConcurrencyPolicy.ofMaxConcurrent(2))
                .build();
        TimeMeter bucketClock = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return clock.get();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        return UpstreamGuard.builder().policy(policy).nanoClock(clock::get).logFailures(false).addListener(metrics)
                .bucketBackend(new InMemoryBucketBackend(bucketClock, 100)).build();
    }

    private RouteGuard route(UpstreamGuard guard, Object definition) {
        return routes.get("orders", definition, () -> RouteGuard.builder("orders", guard).random(() -> 0.5)
                .upstreams(List.of(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:2"))).build());
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags("route", "orders").tags(tags).gauge().value();
    }

    private static Verdict now(CompletionStage<Verdict> stage) {
        Verdict v = stage.toCompletableFuture().getNow(null);
        assertThat(v).as("decided at once (in-memory limits)").isNotNull();
        return v;
    }

    @Test
    void gaugesFollowAdmissionFailuresAnEjectionAndASpentBudget() {
        metrics.bindRoutes(routes);
        RouteGuard route = route(guard(), "v1");

        assertThat(gauge(IN_FLIGHT)).isZero();
        assertThat(gauge(PERMITS_IN_USE)).isZero();
        assertThat(gauge(CONCURRENCY_LIMIT)).isEqualTo(2);
        assertThat(gauge(UPSTREAMS)).isEqualTo(2);
        assertThat(gauge(UPSTREAMS_EJECTED)).isZero();
        assertThat(gauge(RETRY_BUDGET_REMAINING)).as("a new budget is full: one retry").isEqualTo(1.0);
        assertThat(registry.get(BACKEND_UP).tags("backend", "memory", "mode", "none").gauge().value()).isEqualTo(1);

        GuardedExchange exchange = route.exchange(GET);
        assertThat(now(exchange.admit())).isSameAs(Verdict.ADMITTED);
        assertThat(gauge(IN_FLIGHT)).isEqualTo(1);
        assertThat(gauge(PERMITS_IN_USE)).isEqualTo(1);
        assertThat(registry.get(REQUESTS).tags("route", "orders").functionCounter().count()).isEqualTo(1);

        Verdict.SendTo first = (Verdict.SendTo) exchange.nextAttempt();
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(7));
        Verdict.Retry retry = (Verdict.Retry) now(exchange.onFailure(REFUSED));
        String out = first.upstream().id();
        String other = out.equals("orders-1") ? "orders-2" : "orders-1";
        assertThat(gauge(UPSTREAM_EJECTED, "upstream", out)).isEqualTo(1);
        assertThat(gauge(UPSTREAM_EJECTED, "upstream", other)).isZero();
        assertThat(gauge(UPSTREAMS_EJECTED)).isEqualTo(1);
        assertThat(gauge(RETRY_BUDGET_REMAINING))
                .as("a request that never left, retried on an upstream it has not tried: transparent, no token").isEqualTo(1.0);
        Timer backoff = registry.get(RETRY_BACKOFF).tags("route", "orders").timer();
        assertThat(backoff.count()).isEqualTo(1);
        assertThat(backoff.totalTime(TimeUnit.MILLISECONDS)).as("in whole milliseconds").isEqualTo(retry.delay().toMillis());
        Timer failed = registry.get(ATTEMPT_DURATION).tags("route", "orders", "upstream", out, "outcome", "failure",
                "error.type", "connection_refused").timer();
        assertThat(failed.count()).isEqualTo(1);
        assertThat(failed.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(7.0);

        clock.addAndGet(retry.delay().toNanos());
        Verdict.SendTo second = (Verdict.SendTo) exchange.nextAttempt();
        assertThat(second.upstream().id()).isEqualTo(other);
        Verdict.Retry again = (Verdict.Retry) now(exchange.onFailure(REFUSED));
        assertThat(gauge(UPSTREAM_EJECTED, "upstream", other)).as("the cap keeps one of two in").isZero();
        assertThat(gauge(RETRY_BUDGET_REMAINING)).as("a retry to an upstream already tried took the one token").isZero();
        clock.addAndGet(again.delay().toNanos());
        assertThat(exchange.nextAttempt()).isInstanceOf(Verdict.SendTo.class);
        Verdict.Answer answer = (Verdict.Answer) now(exchange.onFailure(REFUSED));
        assertThat(answer.notRetried()).isEqualTo("attempts_exhausted");
        assertThat(gauge(RETRY_BUDGET_REMAINING)).isZero();
        assertThat(gauge(IN_FLIGHT)).as("until the exchange completes").isEqualTo(1);

        exchange.complete();
        exchange.complete();
        assertThat(gauge(IN_FLIGHT)).as("completing twice counts once").isZero();
        assertThat(gauge(PERMITS_IN_USE)).isZero();

        clock.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(gauge(UPSTREAM_EJECTED, "upstream", out)).as("restored when its time is up").isZero();
        assertThat(gauge(UPSTREAMS_EJECTED)).isZero();
    }

    @Test
    void aReplacedRouteIsReadFromItsNewGuardAndARemovedRouteLeavesNoGaugeNorState() {
        metrics.bindRoutes(routes);
        UpstreamGuard guard = guard();
        RouteGuard old = route(guard, "v1");
        now(old.exchange(GET).admit()); // never completed: the old guard's count stays 1

        RouteGuard current = route(guard, "v2");
        assertThat(current).isNotSameAs(old);
        assertThat(registry.find(IN_FLIGHT).gauges()).hasSize(1);
        assertThat(gauge(IN_FLIGHT)).as("read from the new guard").isZero();
        assertThat(registry.find(UPSTREAM_EJECTED).gauges()).hasSize(2);

        WeakReference<RouteGuard> released = new WeakReference<>(current);
        current = null;
        old = null;
        routes.retainOnly(List.of());
        assertThat(registry.find(IN_FLIGHT).gauges()).isEmpty();
        assertThat(registry.find(UPSTREAM_EJECTED).gauges()).isEmpty();
        assertThat(registry.find(RETRY_BUDGET_REMAINING).gauges()).isEmpty();
        assertThat(registry.find(PERMITS_IN_USE).gauges()).isEmpty();
        assertThat(registry.find(REQUESTS).functionCounters()).isEmpty();
        for (int i = 0; i < 50 && released.get() != null; i++) {
            System.gc();
        }
        assertThat(released.get()).as("the metrics keep nothing of a removed route").isNull();
    }

    @Test
    void routesBuiltBeforeBindingGetTheirGaugesAtOnce() {
        route(guard(), "v1");
        metrics.bindRoutes(routes);
        assertThat(gauge(UPSTREAMS)).isEqualTo(2);
    }

    @Test
    void theLimitBackendIsDownWhileItFailsAndTaggedWithTheModeInForce() {
        AtomicBoolean broken = new AtomicBoolean(true);
        BucketBackend flaky = new BucketBackend() {
            @Override
            public CompletionStage<Consumption> tryConsume(String key, BucketShape shape, long tokens) {
                if (broken.get()) {
                    throw new IllegalStateException("connection refused");
                }
                return CompletableFuture.completedFuture(new Consumption(true, 1, 0, true));
            }

            @Override
            public CompletionStage<Void> addTokens(String key, BucketShape shape, long tokens) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public String name() {
                return "redis";
            }
        };
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            FailSafeBucketBackend backend = new FailSafeBucketBackend(flaky, Duration.ofSeconds(1),
                    BackendFailureMode.DENY, GuardListeners.none(), timer);
            metrics.bindLimitBackend(backend);
            BucketShape shape = new BucketShape("test", 10, 1, Duration.ofSeconds(1));
            double up = registry.get(BACKEND_UP).tags("backend", "redis", "mode", "deny").gauge().value();
            assertThat(up).isEqualTo(1);

            backend.tryConsume("k", shape, 1);
            assertThat(registry.get(BACKEND_UP).tags("backend", "redis", "mode", "deny").gauge().value()).isZero();

            broken.set(false);
            backend.tryConsume("k", shape, 1);
            assertThat(registry.get(BACKEND_UP).tags("backend", "redis", "mode", "deny").gauge().value()).isEqualTo(1);
        } finally {
            timer.shutdownNow();
        }
    }
}
