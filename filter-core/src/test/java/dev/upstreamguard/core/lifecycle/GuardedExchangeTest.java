package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.RetryEvent;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.ValidationContext;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.PassiveHealthPolicy;
import dev.upstreamguard.core.policy.RateLimitPolicy;
import dev.upstreamguard.core.policy.RetryCondition;
import dev.upstreamguard.core.policy.RetryPolicy;
import dev.upstreamguard.core.retry.RetryDecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lifecycle as sequences of requests on one route, the clock injected: what the packaging is told to
 * do, and how often the upstream would have been sent the request.
 */
class GuardedExchangeTest {
    private static final ResponseHead OK = ResponseHead.of(200, "OK", "Content-Length", "0");
    private static final UpstreamFailure RESET = UpstreamFailure.of(ErrorType.CONNECTION_TERMINATED, Phase.AWAIT_RESPONSE);
    private static final UpstreamFailure REFUSED = UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT);
    private static final UpstreamFailure HEAD_TIMEOUT = UpstreamFailure.of(ErrorType.HTTP_RESPONSE_TIMEOUT,
            Phase.AWAIT_RESPONSE);

    private final AtomicLong clock = new AtomicLong(5_000_000_000L);

    private RouteGuard route(GuardPolicy policy, Duration responseTimeout, String... upstreams) {
        UpstreamGuard guard = UpstreamGuard.builder().policy(policy).nanoClock(clock::get).logFailures(false).build();
        return RouteGuard.builder("orders", guard).responseTimeout(responseTimeout).random(() -> 0.5)
                .upstreams(List.of(upstreams).stream().map(URI::create).toList()).viaPseudonym("ug-test").build();
    }

    private static GuardPolicy retrying(Set<RetryCondition> on) {
        return GuardPolicy.builder().retry(RetryPolicy.defaults().withMaxAttempts(3).withRetryOn(on)).build();
    }

    private static ClientRequest request(String method, String... headers) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            fields.put(headers[i].toLowerCase(Locale.ROOT), headers[i + 1]);
        }
        return ClientRequest.of(method, "203.0.113.9", new ClientRequest.Headers() {
            @Override
            public String first(String name) {
                return fields.get(name.toLowerCase(Locale.ROOT));
            }

            @Override
            public List<String> all(String name) {
                String v = first(name);
                return v == null ? List.of() : List.of(v);
            }
        });
    }

    private static Verdict now(java.util.concurrent.CompletionStage<Verdict> stage) {
        Verdict v = stage.toCompletableFuture().getNow(null);
        assertThat(v).as("decided at once (in-memory limits)").isNotNull();
        return v;
    }

    /**
     * Runs one request whose every attempt fails with {@code failure} after the request was (or was not)
     * written; returns the final verdict, and counts in {@code sent} the attempts that reached the upstream.
     */
    private Verdict failingRequest(RouteGuard route, String method, UpstreamFailure failure, boolean written,
                                   List<String> sent) {
        GuardedExchange ex = route.exchange(request(method));
        assertThat(now(ex.admit())).isSameAs(Verdict.ADMITTED);
        Verdict v = ex.nextAttempt();
        while (v instanceof Verdict.SendTo send) {
            if (written) {
                ex.requestSending();
                sent.add(send.upstream().id());
            }
            v = now(ex.onFailure(failure));
            if (v instanceof Verdict.Retry retry) {
                clock.addAndGet(retry.delay().toNanos());
                v = ex.nextAttempt();
            }
        }
        ex.complete();
        return v;
    }

    @Test
    void aSingleUpstreamRouteIsNeverTakenDownByItsFailures() {
        RouteGuard route = route(GuardPolicy.defaults(), Duration.ofSeconds(3), "http://127.0.0.1:1");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Verdict v = failingRequest(route, "GET", RESET, true, sent);
            assertThat(((Verdict.Answer) v).failure().type()).isEqualTo(ErrorType.CONNECTION_TERMINATED);
        }
        GuardedExchange next = route.exchange(request("GET"));
        now(next.admit());
        Verdict send = next.nextAttempt();
        assertThat(send).isInstanceOf(Verdict.SendTo.class);
        assertThat(now(next.onHead(OK, ValidationContext.DEFAULT, List.of(), null))).isSameAs(Verdict.Relay.PLAIN);
        assertThat(sent).as("a reset after sending is not retried by default").hasSize(20);
        assertThat(route.pool().health().get(0).ejected()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "GET", "PATCH"})
    void byDefaultARequestThatMayHaveBeenReceivedIsSentOnce(String method) {
        RouteGuard route = route(GuardPolicy.builder().retry(RetryPolicy.defaults().withMaxAttempts(3)).build(),
                Duration.ofSeconds(3), "http://127.0.0.1:1", "http://127.0.0.1:2");
        List<String> sent = new ArrayList<>();
        Verdict v = failingRequest(route, method, RESET, true, sent);
        assertThat(sent).hasSize(1);
        assertThat(((Verdict.Answer) v).notRetried()).isEqualTo(RetryDecision.ERROR_NOT_RETRYABLE);
        assertThat(((Verdict.Answer) v).response().status()).isEqualTo(502);
        assertThat(((Verdict.Answer) v).response().bodyText()).as("the answer says why it was not retried")
                .contains("error_not_retryable");
    }

    @Test
    void optedInResetsRetryIdempotentMethodsOnlyAndNeverAPost() {
        RouteGuard route = route(retrying(EnumSet.of(RetryCondition.CONNECT_FAILURE, RetryCondition.RESET)),
                Duration.ofSeconds(3), "http://127.0.0.1:1", "http://127.0.0.1:2");
        List<String> posts = new ArrayList<>();
        Verdict post = failingRequest(route, "POST", RESET, true, posts);
        assertThat(posts).hasSize(1);
        assertThat(((Verdict.Answer) post).notRetried()).isEqualTo(RetryDecision.METHOD_NOT_IDEMPOTENT);
        assertThat(((Verdict.Answer) post).response().bodyText()).contains("method_not_idempotent");

        List<String> gets = new ArrayList<>();
        Verdict get = failingRequest(route, "GET", RESET, true, gets);
        assertThat(gets).as("three attempts, rotated").hasSize(3);
        assertThat(gets.get(1)).isNotEqualTo(gets.get(0));
        assertThat(((Verdict.Answer) get).notRetried()).isEqualTo(RetryDecision.ATTEMPTS_EXHAUSTED);
    }

    @Test
    void aRequestThatNeverLeftIsRetriedForAnyMethodOnAnotherUpstream() {
        RouteGuard route = route(GuardPolicy.builder().retry(RetryPolicy.defaults()).build(), Duration.ofSeconds(3),
                "http://127.0.0.1:1", "http://127.0.0.1:2");
        GuardedExchange ex = route.exchange(request("POST"));
        now(ex.admit());
        ex.body(false); // streamed: but no attempt began sending it
        Verdict.SendTo first = (Verdict.SendTo) ex.nextAttempt();
        Verdict retry = now(ex.onFailure(new ConnectException("Connection refused")));
        assertThat(retry).isInstanceOf(Verdict.Retry.class);
        Verdict.SendTo second = (Verdict.SendTo) ex.nextAttempt();
        assertThat(second.upstream()).isNotEqualTo(first.upstream());
        assertThat(second.attempt()).isEqualTo(2);
    }

    /**
     * The soak's outage: orders-2 was ejected for its own faults, then orders-1 (the only one in rotation) went
     * down refusing connections. Every request is refused by orders-1 and retried on orders-2 — transparently:
     * a budget with room for one retry is never asked, so no request is answered 502 for want of a token.
     */
    @Test
    void refusedRequestsGoToTheEjectedUpstreamWithoutSpendingTheBudget() {
        List<RetryEvent> retries = new ArrayList<>();
        GuardListener recording = new GuardListener() {
            @Override
            public void onRetry(RetryEvent event) {
                retries.add(event);
            }
        };
        GuardPolicy policy = GuardPolicy.builder().retry(RetryPolicy.defaults().withMaxAttempts(2)
                        .withRetryOn(EnumSet.of(RetryCondition.CONNECT_FAILURE, RetryCondition.RESET)).withBudget(0, 0))
                .health(new PassiveHealthPolicy(true, 2, Duration.ofSeconds(30), Duration.ofMinutes(5), 50, false))
                .build();
        UpstreamGuard guard = UpstreamGuard.builder().policy(policy).nanoClock(clock::get).logFailures(false)
                .addListener(recording).build();
        RouteGuard route = RouteGuard.builder("orders", guard).responseTimeout(Duration.ofSeconds(3)).random(() -> 0.5)
                .upstreams(List.of(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:2")))
                .viaPseudonym("ug-test").build();
        for (int i = 0; i < 4; i++) { // orders-2 fails two requests in its own right (answered without a retry)
            GuardedExchange ex = route.exchange(request("GET"));
            now(ex.admit());
            Verdict.SendTo send = (Verdict.SendTo) ex.nextAttempt();
            ex.requestSending();
            if (send.upstream().id().equals("orders-2")) {
                ex.answerWithoutRetry(RESET);
            } else {
                now(ex.onHead(OK, ValidationContext.DEFAULT, List.of(), null));
            }
            ex.complete();
        }
        assertThat(route.pool().health().get(1).ejected()).as("orders-2 ejected for its own faults").isTrue();
        assertThat(retries).isEmpty();

        Map<String, Integer> delivered = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            GuardedExchange ex = route.exchange(request(i % 2 == 0 ? "GET" : "POST"));
            now(ex.admit());
            Verdict v = ex.nextAttempt();
            while (v instanceof Verdict.SendTo send && send.upstream().id().equals("orders-1")) {
                v = now(ex.onFailure(REFUSED)); // orders-1 refuses: nothing was sent
                if (v instanceof Verdict.Retry retry) {
                    clock.addAndGet(retry.delay().toNanos());
                    v = ex.nextAttempt();
                }
            }
            assertThat(v).as("request %d goes to orders-2 after orders-1 refused it", i + 1)
                    .isInstanceOf(Verdict.SendTo.class);
            ex.requestSending();
            delivered.merge(((Verdict.SendTo) v).upstream().id(), 1, Integer::sum);
            assertThat(now(ex.onHead(OK, ValidationContext.DEFAULT, List.of(), null))).isSameAs(Verdict.Relay.PLAIN);
            ex.complete();
        }

        assertThat(delivered).containsExactly(Map.entry("orders-2", 20));
        assertThat(retries.stream().filter(e -> e.outcome() == RetryEvent.Outcome.SCHEDULED))
                .hasSize(20).allSatisfy(e -> assertThat(e.reason()).isEqualTo(RetryDecision.TRANSPARENT));
        assertThat(retries).noneMatch(e -> e.outcome() == RetryEvent.Outcome.DENIED_BY_BUDGET);

        // a retry that may reach an upstream again is charged: the one token of the budget is still there, once
        List<String> sent = new ArrayList<>();
        Verdict first = failingRequest(route, "GET", RESET, true, sent);
        assertThat(((Verdict.Answer) first).notRetried()).isEqualTo(RetryDecision.ATTEMPTS_EXHAUSTED);
        Verdict second = failingRequest(route, "GET", RESET, true, sent);
        assertThat(((Verdict.Answer) second).notRetried()).isEqualTo(RetryDecision.BUDGET_EXHAUSTED);
    }

    /** The phase is observed: a TLS error once request bytes may have left is not "a handshake failure". */
    @Test
    void aTlsFailureAfterSendingIsNeverResentAsIfTheRequestHadNotLeft() {
        RouteGuard route = route(GuardPolicy.defaults(), Duration.ofSeconds(3), "https://127.0.0.1:1",
                "https://127.0.0.1:2");
        List<String> sent = new ArrayList<>();
        Verdict v = failingRequest(route, "POST",
                UpstreamFailure.of(ErrorType.TLS_PROTOCOL_ERROR, Phase.TLS_HANDSHAKE), true, sent);
        assertThat(sent).hasSize(1);
        assertThat(v).isInstanceOf(Verdict.Answer.class);
    }

    @Test
    void everyAttemptAndBackoffFitsInsideTheResponseTimeout() {
        RouteGuard route = route(retrying(EnumSet.allOf(RetryCondition.class)), Duration.ofSeconds(3),
                "http://127.0.0.1:1", "http://127.0.0.1:2");
        long start = clock.get();
        GuardedExchange ex = route.exchange(request("GET"));
        now(ex.admit());
        Verdict.SendTo first = (Verdict.SendTo) ex.nextAttempt();
        assertThat(first.headTimeout()).isEqualTo(Duration.ofSeconds(3));
        ex.requestSent();
        clock.addAndGet(first.headTimeout().toNanos()); // the head deadline passes
        Verdict v = now(ex.onFailure(HEAD_TIMEOUT));
        assertThat(v).isInstanceOf(Verdict.Answer.class);
        assertThat(((Verdict.Answer) v).notRetried()).isEqualTo(RetryDecision.DEADLINE_EXCEEDED);
        assertThat(Duration.ofNanos(clock.get() - start)).isLessThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aPerTryTimeoutLeavesRoomForRetriesWithinTheDeadline() {
        GuardPolicy policy = GuardPolicy.builder().retry(RetryPolicy.defaults().withMaxAttempts(5)
                .withRetryOn(EnumSet.allOf(RetryCondition.class)).withTimeouts(Duration.ofSeconds(1), null)).build();
        RouteGuard route = route(policy, Duration.ofSeconds(3), "http://127.0.0.1:1", "http://127.0.0.1:2");
        long start = clock.get();
        GuardedExchange ex = route.exchange(request("GET"));
        now(ex.admit());
        Verdict v = ex.nextAttempt();
        List<Duration> timeouts = new ArrayList<>();
        while (v instanceof Verdict.SendTo send) {
            timeouts.add(send.headTimeout());
            ex.requestSent();
            clock.addAndGet(send.headTimeout().toNanos());
            v = now(ex.onFailure(HEAD_TIMEOUT));
            if (v instanceof Verdict.Retry retry) {
                clock.addAndGet(retry.delay().toNanos());
                v = ex.nextAttempt();
            }
        }
        assertThat(timeouts).hasSizeGreaterThanOrEqualTo(3);
        assertThat(timeouts.get(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(clock.get() - start)).as("never past the 3 s deadline")
                .isLessThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void allAttemptsOfOneRequestCountAsOneFailureOfTheirUpstream() {
        GuardPolicy policy = GuardPolicy.builder()
                .retry(RetryPolicy.defaults().withMaxAttempts(4).withRetryOn(EnumSet.allOf(RetryCondition.class)))
                .health(new PassiveHealthPolicy(true, 2, Duration.ofSeconds(30), Duration.ofMinutes(5), 50, false))
                .build();
        RouteGuard route = route(policy, Duration.ofSeconds(3), "http://127.0.0.1:1", "http://127.0.0.1:2");
        failingRequest(route, "GET", RESET, true, new ArrayList<>()); // 4 attempts over both upstreams
        assertThat(route.pool().health()).allSatisfy(h -> {
            assertThat(h.consecutiveFailures()).isEqualTo(1);
            assertThat(h.ejected()).isFalse();
        });
        failingRequest(route, "GET", RESET, true, new ArrayList<>());
        assertThat(route.pool().health().stream().filter(h -> h.ejected()).count())
                .as("the second request's failure ejects one, the cap keeps the other").isEqualTo(1);
    }

    @Test
    void aFailingUpstreamIsEjectedAndRestoredWhileTheOtherServes() {
        GuardPolicy policy = GuardPolicy.builder()
                .health(new PassiveHealthPolicy(true, 3, Duration.ofSeconds(30), Duration.ofMinutes(5), 50, false))
                .build();
        RouteGuard route = route(policy, Duration.ofSeconds(3), "http://127.0.0.1:1", "http://127.0.0.1:2");
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            GuardedExchange ex = route.exchange(request("GET"));
            now(ex.admit());
            Verdict.SendTo send = (Verdict.SendTo) ex.nextAttempt();
            ex.requestSending();
            if (send.upstream().id().equals("orders-1")) {
                now(ex.onFailure(RESET));
            } else {
                now(ex.onHead(OK, ValidationContext.DEFAULT, List.of(), null));
                served.add(send.upstream().id());
            }
            ex.complete();
        }
        assertThat(route.pool().health().get(0).ejected()).isTrue();
        assertThat(served).hasSizeGreaterThanOrEqualTo(8);
        clock.addAndGet(Duration.ofSeconds(30).toNanos());
        Set<String> chosen = new java.util.HashSet<>();
        IntStream.range(0, 4).forEach(i -> chosen.add(((Verdict.SendTo) route.exchange(request("GET")).nextAttempt())
                .upstream().id()));
        assertThat(chosen).as("restored after its ejection").contains("orders-1", "orders-2");
    }

    @Test
    void aClientThatLeavesDuringTheBackoffCancelsTheNextAttempt() {
        RouteGuard route = route(GuardPolicy.defaults(), Duration.ofSeconds(3), "http://127.0.0.1:1");
        GuardedExchange ex = route.exchange(request("GET"));
        now(ex.admit());
        ex.nextAttempt();
        Verdict retry = now(ex.onFailure(REFUSED));
        assertThat(retry).isInstanceOf(Verdict.Retry.class);
        ex.clientGone();
        assertThat(ex.nextAttempt()).isInstanceOf(Verdict.Abort.class);
    }

    @Test
    void anAnswerWithoutRetrySaysWhyForTheUpstreamsFailureAndForOurOwn() {
        RouteGuard route = route(GuardPolicy.defaults(), Duration.ofSeconds(3), "http://127.0.0.1:1");
        GuardedExchange ex = route.exchange(request("GET"));
        now(ex.admit());
        ex.nextAttempt();
        assertThat(ex.answerWithoutRetry(UpstreamFailure.of(ErrorType.HTTP_RESPONSE_INCOMPLETE, Phase.READ_BODY))
                .notRetried()).isEqualTo(RetryDecision.RESPONSE_COMMITTED);
        assertThat(ex.answerWithoutRetry(UpstreamFailure.of(ErrorType.PROXY_INTERNAL_ERROR, Phase.UNKNOWN))
                .notRetried()).isEqualTo(RetryDecision.ERROR_NOT_RETRYABLE);
    }

    @Test
    void aTrustedClientSeesEachAttemptByAliasErrorPhaseAndTime() {
        GuardPolicy trusting = GuardPolicy.builder().retry(RetryPolicy.defaults().withMaxAttempts(2))
                .exposure(new dev.upstreamguard.core.policy.ExposurePolicy(
                        dev.upstreamguard.core.policy.Exposure.TRUSTED,
                        dev.upstreamguard.core.CidrSet.parse("203.0.113.0/24"))).build();
        RouteGuard route = route(trusting, Duration.ofSeconds(3), "http://10.1.2.3:8080", "http://10.1.2.4:8080");
        GuardedExchange ex = route.exchange(request("GET", "Accept", "application/problem+json"));
        now(ex.admit());
        ex.nextAttempt();
        clock.addAndGet(4_000_000L);
        Verdict retry = now(ex.onFailure(REFUSED));
        clock.addAndGet(((Verdict.Retry) retry).delay().toNanos());
        ex.nextAttempt();
        ex.requestSending();
        clock.addAndGet(7_000_000L);

        Verdict.Answer answer = (Verdict.Answer) now(ex.onFailure(RESET));

        assertThat(answer.response().bodyText()).endsWith("\"not_retried\":\"error_not_retryable\",\"attempts\":["
                + "{\"upstream\":\"orders-1\",\"error\":\"connection_refused\",\"phase\":\"connect\",\"ms\":4},"
                + "{\"upstream\":\"orders-2\",\"error\":\"connection_terminated\",\"phase\":\"await_response\",\"ms\":7}]}")
                .doesNotContain("10.1.2.");
    }

    @Test
    void anUntrustedClientSeesWhyButNotTheAttempts() {
        RouteGuard route = route(GuardPolicy.defaults(), Duration.ofSeconds(3), "http://10.1.2.3:8080");
        GuardedExchange ex = route.exchange(request("POST"));
        now(ex.admit());
        ex.nextAttempt();
        ex.requestSending();

        Verdict.Answer answer = (Verdict.Answer) now(ex.onFailure(RESET));

        assertThat(answer.response().bodyText()).contains("\"not_retried\":\"" + answer.notRetried() + "\"")
                .doesNotContain("attempts", "orders-1");
    }

    @Test
    void aLoopIsAnsweredBeforeAnyLimit() {
        RouteGuard route = route(GuardPolicy.defaults(), Duration.ofSeconds(3), "http://127.0.0.1:1");
        Verdict v = now(route.exchange(request("GET", "Via", "1.1 other, 1.1 ug-test")).admit());
        assertThat(((Verdict.Answer) v).response().status()).isEqualTo(502);
        assertThat(((Verdict.Answer) v).response().header("Proxy-Status")).contains("proxy_loop_detected");
    }

    @Test
    void anUpstream5xxIsRelayedWithOurMemberAppended() {
        RouteGuard route = route(GuardPolicy.defaults(), Duration.ofSeconds(3), "http://127.0.0.1:1");
        GuardedExchange ex = route.exchange(request("GET"));
        now(ex.admit());
        ex.nextAttempt();
        Verdict v = now(ex.onHead(ResponseHead.of(503, "Busy", "Content-Length", "0"), ValidationContext.DEFAULT,
                List.of("cdn; error=connection_timeout"), null));
        assertThat(((Verdict.Relay) v).proxyStatus()).startsWith("cdn; error=connection_timeout, upstream-guard")
                .contains("received-status=503");
    }

    @Test
    void anOptedInStatusRetryDropsTheHeadAndTriesAgain() {
        RouteGuard route = route(retrying(EnumSet.of(RetryCondition.STATUS)), Duration.ofSeconds(3),
                "http://127.0.0.1:1", "http://127.0.0.1:2");
        GuardedExchange ex = route.exchange(request("GET"));
        now(ex.admit());
        ex.nextAttempt();
        Verdict v = now(ex.onHead(ResponseHead.of(503, "Busy", "Content-Length", "0"), ValidationContext.DEFAULT,
                List.of(), "0"));
        assertThat(v).isEqualTo(new Verdict.Retry(Duration.ZERO, RetryDecision.STATUS));
        assertThat(((Verdict.SendTo) ex.nextAttempt()).attempt()).isEqualTo(2);
    }

    /**
     * The client's address is the packaging's to format (a new string per request on Jetty and Netty): a
     * request relayed from its upstream on a route without an address-keyed limit never asks for it.
     */
    @Test
    void theClientAddressIsAskedForOnlyWhenSomethingReadsIt() {
        AtomicLong asked = new AtomicLong();
        ClientRequest fixed = request("GET");
        ClientRequest counting = new ClientRequest() {
            @Override
            public String method() {
                return fixed.method();
            }

            @Override
            public String remoteAddress() {
                asked.incrementAndGet();
                return "203.0.113.9";
            }

            @Override
            public Headers headers() {
                return fixed.headers();
            }
        };
        RouteGuard plain = route(GuardPolicy.defaults(), Duration.ofSeconds(3), "http://127.0.0.1:1");
        GuardedExchange ex = plain.exchange(counting);
        assertThat(now(ex.admit())).isEqualTo(Verdict.ADMITTED);
        ex.nextAttempt();
        assertThat(now(ex.onHead(OK, ValidationContext.DEFAULT, List.of(), null))).isEqualTo(Verdict.Relay.PLAIN);
        ex.complete();
        assertThat(asked).as("address reads on the success path without limits").hasValue(0);

        RouteGuard limited = route(GuardPolicy.builder().rateLimit(RateLimitPolicy.perAddress("api", 5,
                Duration.ofSeconds(10))).build(), Duration.ofSeconds(3), "http://127.0.0.1:1");
        assertThat(now(limited.exchange(counting).admit())).isEqualTo(Verdict.ADMITTED);
        assertThat(asked).as("an address-keyed limit reads it").hasPositiveValue();
    }
}
