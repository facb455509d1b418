package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.policy.PassiveHealthPolicy;
import dev.upstreamguard.core.policy.CircuitBreakerPolicy;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.RetryCondition;
import dev.upstreamguard.core.policy.RetryPolicy;
import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.ValidationContext;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The circuit breaker in the request lifecycle, the clock injected: what a route with a dead single upstream
 * answers, and how often the upstream would have been tried.
 */
class CircuitBreakerLifecycleTest {
    private static final ResponseHead OK = ResponseHead.of(200, "OK", "Content-Length", "0");
    private static final ResponseHead UNAVAILABLE = ResponseHead.of(503, "Service Unavailable", "Content-Length", "0");
    /** One attempt per request, so that attempts count requests. */
    private static final RetryPolicy ONCE = RetryPolicy.defaults().withMaxAttempts(1);
    private static final UpstreamFailure REFUSED = UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT);

    private final AtomicLong clock = new AtomicLong(9_000_000_000L);
    private final AtomicInteger attempts = new AtomicInteger();
    private final List<AdmissionEvent> refusals = new CopyOnWriteArrayList<>();

    private RouteGuard route(GuardPolicy policy) {
        UpstreamGuard guard = UpstreamGuard.builder().policy(policy).nanoClock(clock::get).logFailures(false)
                .addListener(new GuardListener() {
                    @Override
                    public void onAdmissionRejected(AdmissionEvent event) {
                        refusals.add(event);
                    }
                }).build();
        return RouteGuard.builder("orders", guard).responseTimeout(Duration.ofSeconds(3)).random(() -> 0.5)
                .upstreams(List.of(URI.create("http://127.0.0.1:1"))).build();
    }

    private static GuardPolicy breaking(RetryPolicy retry) {
        return GuardPolicy.builder().retry(retry).circuitBreaker(CircuitBreakerPolicy.enabledDefaults())
                .exposure(dev.upstreamguard.core.policy.ExposurePolicy.loopback()).build();
    }

    private static ClientRequest get() {
        return ClientRequest.of("GET", "127.0.0.1", new ClientRequest.Headers() {
            @Override
            public String first(String name) {
                return null;
            }

            @Override
            public List<String> all(String name) {
                return List.of();
            }
        });
    }

    private static Verdict now(CompletionStage<Verdict> stage) {
        Verdict v = stage.toCompletableFuture().getNow(null);
        assertThat(v).as("decided at once").isNotNull();
        return v;
    }

    /** One request whose every attempt is refused; the final verdict (an Answer when admission refused it). */
    private Verdict refusedRequest(RouteGuard route) {
        GuardedExchange ex = route.exchange(get());
        try {
            Verdict v = now(ex.admit());
            if (v != Verdict.ADMITTED) {
                return v;
            }
            v = ex.nextAttempt();
            while (v instanceof Verdict.SendTo) {
                attempts.incrementAndGet();
                v = now(ex.onFailure(REFUSED));
                if (v instanceof Verdict.Retry retry) {
                    clock.addAndGet(retry.delay().toNanos());
                    v = ex.nextAttempt();
                }
            }
            return v;
        } finally {
            ex.complete();
        }
    }

    /** One request answered {@code head} by the upstream; the final verdict. */
    private Verdict answeredRequest(RouteGuard route, ResponseHead head) {
        GuardedExchange ex = route.exchange(get());
        try {
            Verdict v = now(ex.admit());
            if (v != Verdict.ADMITTED) {
                return v;
            }
            assertThat(ex.nextAttempt()).isInstanceOf(Verdict.SendTo.class);
            attempts.incrementAndGet();
            return now(ex.onHead(head, ValidationContext.DEFAULT, List.of(), null));
        } finally {
            ex.complete();
        }
    }

    @Test
    void offByDefaultADeadSingleUpstreamIsTriedForEveryRequest() {
        RouteGuard route = route(GuardPolicy.builder().retry(ONCE).build());
        assertThat(route.circuitBreaker()).isNull();
        for (int i = 0; i < 20; i++) {
            assertThat(((Verdict.Answer) refusedRequest(route)).failure().type()).isEqualTo(ErrorType.CONNECTION_REFUSED);
        }
        assertThat(attempts.get()).isEqualTo(20);
    }

    @Test
    void afterTheThresholdRequestsAreAnsweredWithoutReachingTheUpstreamUntilTheOpenDurationPasses() {
        RouteGuard route = route(breaking(ONCE));
        for (int i = 0; i < 5; i++) {
            assertThat(((Verdict.Answer) refusedRequest(route)).failure().type()).isEqualTo(ErrorType.CONNECTION_REFUSED);
        }
        int tried = attempts.get();

        clock.addAndGet(Duration.ofMillis(2_500).toNanos());
        Verdict.Answer open = (Verdict.Answer) refusedRequest(route);

        assertThat(attempts.get()).as("the upstream is not tried while the circuit is open").isEqualTo(tried);
        assertThat(open.response().status()).isEqualTo(503);
        assertThat(open.failure().type()).isEqualTo(ErrorType.DESTINATION_UNAVAILABLE);
        assertThat(open.response().header("Proxy-Status")).startsWith("upstream-guard;error=destination_unavailable");
        assertThat(open.response().header("Retry-After")).as("whole seconds left open, rounded up").isEqualTo("28");
        assertThat(open.response().bodyText()).contains("circuit breaker is open");
        assertThat(refusals).extracting(AdmissionEvent::kind).containsExactly(AdmissionEvent.Kind.CIRCUIT_OPEN);
        assertThat(refusals.get(0).retryAfterSeconds()).isEqualTo(28);

        clock.addAndGet(Duration.ofMillis(27_500).toNanos());
        GuardedExchange probe = route.exchange(get());
        assertThat(now(probe.admit())).as("the first request after the open time is a probe").isSameAs(Verdict.ADMITTED);
        Verdict.Answer waiting = (Verdict.Answer) refusedRequest(route);
        assertThat(waiting.response().header("Retry-After")).as("while the probe is under way").isEqualTo("1");
        assertThat(probe.nextAttempt()).isInstanceOf(Verdict.SendTo.class);
        assertThat(now(probe.onHead(OK, ValidationContext.DEFAULT, List.of(), null))).isSameAs(Verdict.Relay.PLAIN);
        probe.complete();

        assertThat(route.circuitBreaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(answeredRequest(route, OK)).isSameAs(Verdict.Relay.PLAIN);
    }

    @Test
    void aFailedProbeReopensTheCircuit() {
        RouteGuard route = route(breaking(ONCE));
        for (int i = 0; i < 5; i++) {
            refusedRequest(route);
        }
        clock.addAndGet(Duration.ofSeconds(30).toNanos());
        int tried = attempts.get();

        assertThat(((Verdict.Answer) refusedRequest(route)).failure().type()).isEqualTo(ErrorType.CONNECTION_REFUSED);

        assertThat(attempts.get()).as("the probe reached the upstream").isEqualTo(tried + 1);
        Verdict.Answer reopened = (Verdict.Answer) refusedRequest(route);
        assertThat(reopened.failure().type()).isEqualTo(ErrorType.DESTINATION_UNAVAILABLE);
        assertThat(reopened.response().header("Retry-After")).isEqualTo("30");
        assertThat(attempts.get()).isEqualTo(tried + 1);
    }

    @Test
    void eachRequestCountsOnceWhateverItsAttempts() {
        RouteGuard route = route(breaking(RetryPolicy.defaults().withMaxAttempts(3)
                .withRetryOn(Set.of(RetryCondition.CONNECT_FAILURE))));
        for (int i = 0; i < 4; i++) {
            refusedRequest(route);
        }
        assertThat(attempts.get()).as("each request made three attempts").isEqualTo(12);
        assertThat(route.circuitBreaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        refusedRequest(route);
        assertThat(route.circuitBreaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void anUpstream5xxCountsOnlyWhenPassiveHealthCountsIt() {
        RouteGuard relayed = route(breaking(ONCE));
        for (int i = 0; i < 10; i++) {
            answeredRequest(relayed, UNAVAILABLE);
        }
        assertThat(relayed.circuitBreaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);

        RouteGuard counted = route(GuardPolicy.from(breaking(ONCE))
                .health(new PassiveHealthPolicy(true, 5, Duration.ofSeconds(30), Duration.ofMinutes(5), 50, true)).build());
        for (int i = 0; i < 5; i++) {
            answeredRequest(counted, UNAVAILABLE);
        }
        assertThat(counted.circuitBreaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aProbeRefusedByTheRateLimitGivesItsPlaceToTheNextRequest() {
        RouteGuard route = route(GuardPolicy.from(breaking(ONCE))
                .rateLimit(dev.upstreamguard.core.policy.RateLimitPolicy.perAddress("default", 5, Duration.ofHours(1)))
                .build());
        for (int i = 0; i < 5; i++) {
            refusedRequest(route); // the client's five tokens for the hour are spent
        }
        clock.addAndGet(Duration.ofSeconds(30).toNanos());

        GuardedExchange limited = route.exchange(get());
        Verdict.Answer refused = (Verdict.Answer) now(limited.admit());
        limited.complete();

        assertThat(refused.response().status()).as("the breaker let it through as a probe; the rate limit refused it")
                .isEqualTo(429);
        GuardedExchange other = route.exchange(ClientRequest.of("GET", "127.0.0.2", get().headers()));
        assertThat(now(other.admit())).as("another client's request takes the probe's place").isSameAs(Verdict.ADMITTED);
        other.complete();
    }
}
