package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.CidrSet;
import dev.upstreamguard.core.ErrorResponse;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.Origin;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.RequestIds;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.policy.Exposure;
import dev.upstreamguard.core.policy.ExposurePolicy;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.PolicyBinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamGuardTest {
    private final List<FailureEvent> events = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final GuardListener recorder = new GuardListener() {
        @Override
        public void onFailure(FailureEvent event) {
            events.add(event);
        }
    };

    private UpstreamGuard guard(GuardPolicy policy) {
        return UpstreamGuard.builder().policy(policy).addListener(recorder).logFailures(false)
                .nanoClock(clock::get).build();
    }

    private static Exchange exchange(String remote, String accept) {
        return Exchange.of("orders", remote, accept, "req-1", 1_000_000_000L);
    }

    @ParameterizedTest
    @EnumSource(value = ErrorType.class, mode = EnumSource.Mode.EXCLUDE, names = "HTTP_REQUEST_ERROR")
    void everyTypeIsAnsweredWithItsStatusProxyStatusAndProblem(ErrorType type) {
        UpstreamGuard guard = guard(GuardPolicy.defaults());
        clock.addAndGet(7_000_000L);
        ErrorResponse r = guard.failureResponse(UpstreamFailure.of(type, Phase.UNKNOWN), exchange("203.0.113.9", null));

        assertThat(r.status()).isEqualTo(type.recommendedStatus());
        assertThat(r.header("Proxy-Status")).isEqualTo("upstream-guard;error=" + type.token());
        assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.bodyText()).contains("\"status\":" + type.recommendedStatus(), "\"error\":\"" + type.token() + "\"",
                "\"request_id\":\"req-1\"",
                "\"type\":\"https://github.com/upstreamguard/upstream-guard/blob/main/docs/errors.md#" + type.token() + "\"");
        if (r.status() == 503) {
            assertThat(r.header("Retry-After")).isEqualTo("1");
        } else {
            assertThat(r.header("Retry-After")).isNull();
        }
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.origin()).isEqualTo(Origin.PROXY);
            assertThat(e.status()).isEqualTo(type.recommendedStatus());
            assertThat(e.elapsedMillis()).isEqualTo(7);
            assertThat(e.aborted()).isFalse();
        });
    }

    @Test
    void withTheTypeBaseAboutBlankTheTypeIsAboutBlankAndTheTitleTheStatusPhraseInJsonAndText() {
        UpstreamGuard guard = guard(PolicyBinder.bind(Map.of("problem-details.type-base", "about:blank",
                "status.connection_timeout", "502")));
        UpstreamFailure f = UpstreamFailure.of(ErrorType.CONNECTION_TIMEOUT, Phase.CONNECT);

        ErrorResponse json = guard.failureResponse(f, exchange("203.0.113.9", null));
        assertThat(json.status()).isEqualTo(502);
        assertThat(json.header("Proxy-Status")).isEqualTo("upstream-guard;error=connection_timeout");
        assertThat(json.bodyText()).startsWith("{\"type\":\"about:blank\",\"title\":\"Bad Gateway\",\"status\":502,")
                .contains("\"error\":\"connection_timeout\"");

        ErrorResponse text = guard.failureResponse(f, exchange("203.0.113.9", "text/plain"));
        assertThat(text.header("Content-Type")).startsWith("text/plain");
        assertThat(text.bodyText()).startsWith("502 Bad Gateway\nerror: connection_timeout\n");
    }

    @Test
    void detailsAndNextHopOnlyForTrustedClients() {
        UpstreamGuard guard = guard(GuardPolicy.builder().exposure(ExposurePolicy.loopback()).build());
        UpstreamFailure f = UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT)
                .withDetails("connection refused by upstream").withCause(new ConnectException("10.1.2.3:8080 refused"));
        Exchange ex = exchange("203.0.113.9", null).withUpstream("orders-1", "orders-1.internal");

        ErrorResponse untrusted = guard.failureResponse(f, ex);
        assertThat(untrusted.header("Proxy-Status")).isEqualTo("upstream-guard;error=connection_refused");
        assertThat(untrusted.bodyText()).doesNotContain("orders-1.internal", "10.1.2.3", "connection refused by upstream");

        ErrorResponse trusted = guard.failureResponse(f, exchange("127.0.0.1", null).withUpstream("orders-1", "orders-1.internal"));
        assertThat(trusted.header("Proxy-Status")).contains("error=connection_refused", "next-hop=",
                "orders-1.internal", "details=\"connection refused by upstream\"");
        assertThat(trusted.bodyText()).doesNotContain("10.1.2.3");
    }

    @Test
    void everyAnswerSaysWhyItWasNotRetriedFromTheDocumentedList() {
        UpstreamGuard guard = guard(GuardPolicy.defaults());
        UpstreamFailure limited = dev.upstreamguard.core.admission.AdmissionVerdicts.rateLimited();

        ErrorResponse refused = guard.failureResponse(limited, exchange("203.0.113.9", null), Duration.ofSeconds(3));
        ErrorResponse decided = guard.failureResponse(UpstreamFailure.of(ErrorType.CONNECTION_TERMINATED,
                Phase.AWAIT_RESPONSE), exchange("203.0.113.9", "text/plain"), null, "method_not_idempotent");

        assertThat(refused.bodyText()).contains("\"not_retried\":\"error_not_retryable\"");
        assertThat(decided.bodyText()).contains("not retried: method_not_idempotent");
        assertThat(events).extracting(FailureEvent::notRetried).containsExactly("error_not_retryable", "method_not_idempotent")
                .allSatisfy(reason -> assertThat(dev.upstreamguard.core.retry.RetryDecision.NOT_RETRIED_REASONS).contains(reason));
        guard.aborted(UpstreamFailure.of(ErrorType.HTTP_RESPONSE_INCOMPLETE, Phase.READ_BODY), exchange(null, null), 200);
        assertThat(events.get(2).notRetried()).isEqualTo("response_committed");
    }

    @Test
    void attemptsOnlyForTrustedClients() {
        UpstreamGuard guard = guard(GuardPolicy.builder().exposure(ExposurePolicy.loopback()).build());
        UpstreamFailure f = UpstreamFailure.of(ErrorType.CONNECTION_TERMINATED, Phase.AWAIT_RESPONSE);
        List<java.util.Map<String, Object>> attempts = List.of(
                new java.util.LinkedHashMap<>(java.util.Map.of("upstream", "orders-1")),
                new java.util.LinkedHashMap<>(java.util.Map.of("upstream", "orders-2")));
        attempts.get(0).put("error", "connection_terminated");
        attempts.get(0).put("ms", 12L);

        ErrorResponse trusted = guard.failureResponse(f, exchange("127.0.0.1", null), null, "attempts_exhausted", attempts);
        ErrorResponse untrusted = guard.failureResponse(f, exchange("203.0.113.9", null), null, "attempts_exhausted", attempts);

        assertThat(trusted.bodyText()).endsWith("\"not_retried\":\"attempts_exhausted\",\"attempts\":[{\"upstream\":"
                + "\"orders-1\",\"error\":\"connection_terminated\",\"ms\":12},{\"upstream\":\"orders-2\"}]}");
        assertThat(untrusted.bodyText()).doesNotContain("attempts\"", "orders-1").contains("\"not_retried\":\"attempts_exhausted\"");
    }

    @Test
    void byDefaultNobodySeesDetailsOrNextHopNotEvenLoopback() {
        UpstreamGuard guard = guard(GuardPolicy.defaults());
        UpstreamFailure f = UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT)
                .withDetails("connection refused by upstream");
        for (String client : new String[] {"127.0.0.1", "::1", "::ffff:127.0.0.1", "203.0.113.9"}) {
            ErrorResponse r = guard.failureResponse(f, exchange(client, null).withUpstream("orders-1", "orders-1.internal"));
            assertThat(r.header("Proxy-Status")).as(client).isEqualTo("upstream-guard;error=connection_refused");
            assertThat(r.bodyText()).as(client).doesNotContain("orders-1.internal", "connection refused by upstream");
        }
    }

    @Test
    void exposureNeverHidesDetailsEvenFromLoopback() {
        UpstreamGuard guard = guard(GuardPolicy.builder()
                .exposure(new ExposurePolicy(Exposure.NEVER, CidrSet.loopback())).build());
        ErrorResponse r = guard.failureResponse(UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT)
                .withDetails("secret"), exchange("127.0.0.1", null));
        assertThat(r.header("Proxy-Status")).doesNotContain("details");
    }

    @Test
    void appendsToAReceivedProxyStatus() {
        UpstreamGuard guard = guard(GuardPolicy.defaults());
        Exchange ex = exchange("203.0.113.9", null).withReceivedProxyStatus(List.of("inner-cache; error=http_response_timeout"));
        ErrorResponse r = guard.failureResponse(UpstreamFailure.of(ErrorType.HTTP_RESPONSE_TIMEOUT, Phase.AWAIT_RESPONSE), ex);
        assertThat(r.header("Proxy-Status"))
                .isEqualTo("inner-cache; error=http_response_timeout, upstream-guard;error=http_response_timeout");
    }

    @Test
    void computedRetryAfterWinsAndIsRoundedUp() {
        UpstreamGuard guard = guard(GuardPolicy.defaults());
        ErrorResponse r = guard.failureResponse(UpstreamFailure.of(ErrorType.DESTINATION_UNAVAILABLE, Phase.ADMISSION),
                exchange("203.0.113.9", null), Duration.ofMillis(2_100));
        assertThat(r.header("Retry-After")).isEqualTo("3");
    }

    @Test
    void rateLimitIsA429WithRetryAfter() {
        UpstreamGuard guard = guard(GuardPolicy.defaults());
        ErrorResponse r = guard.failureResponse(UpstreamFailure.of(ErrorType.HTTP_REQUEST_ERROR, Phase.ADMISSION)
                .withParameter("status-code", 429), exchange("203.0.113.9", null));
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.header("Retry-After")).isEqualTo("1");
        assertThat(r.header("Proxy-Status")).isEqualTo("upstream-guard;error=http_request_error;status-code=429");
    }

    @Test
    void statusOverridesApply() {
        UpstreamGuard guard = guard(GuardPolicy.builder().status(ErrorType.CONNECTION_TIMEOUT, 502).build());
        assertThat(guard.failureResponse(UpstreamFailure.of(ErrorType.CONNECTION_TIMEOUT, Phase.CONNECT),
                exchange(null, null)).status()).isEqualTo(502);
    }

    @Test
    void plainTextForClientsThatDoNotAcceptJson() {
        UpstreamGuard guard = guard(GuardPolicy.defaults());
        ErrorResponse r = guard.failureResponse(UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT),
                exchange(null, "text/html"));
        assertThat(r.header("Content-Type")).isEqualTo("text/plain;charset=utf-8");
        assertThat(r.bodyText()).startsWith("502 ").contains("error: connection_refused", "request id: req-1");
    }

    @Test
    void problemDetailsCanBeSwitchedOff() {
        UpstreamGuard guard = guard(GuardPolicy.builder().problemDetails(false).build());
        ErrorResponse r = guard.failureResponse(UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT), exchange(null, null));
        assertThat(r.body()).isEmpty();
        assertThat(r.header("Content-Type")).isNull();
        assertThat(r.header("Proxy-Status")).isNotNull();
    }

    @Test
    void passThroughAppendsReceivedStatusAndCountsOnly5xx() {
        UpstreamGuard guard = guard(GuardPolicy.defaults());
        assertThat(guard.passThrough(503, exchange("203.0.113.9", null).withReceivedProxyStatus(List.of("origin-lb; error=connection_refused"))))
                .isEqualTo("origin-lb; error=connection_refused, upstream-guard;received-status=503");
        assertThat(guard.passThrough(404, exchange("203.0.113.9", null))).isEqualTo("upstream-guard;received-status=404");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.origin()).isEqualTo(Origin.UPSTREAM);
            assertThat(e.status()).isEqualTo(503);
        });
    }

    @Test
    void abortsAreEventsWithTheCommittedStatus() {
        UpstreamGuard guard = guard(GuardPolicy.defaults());
        guard.aborted(UpstreamFailure.of(ErrorType.HTTP_RESPONSE_INCOMPLETE, Phase.READ_BODY), exchange(null, null), 200);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.aborted()).isTrue();
            assertThat(e.status()).isEqualTo(200);
        });
    }

    @Test
    void applicationErrorsHaveNoProxyStatusAndNoMessage() {
        UpstreamGuard guard = guard(GuardPolicy.defaults());
        ErrorResponse r = guard.applicationErrorResponse(exchange(null, null));
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.header("Proxy-Status")).isNull();
        assertThat(r.bodyText()).contains("\"status\":500", "req-1").doesNotContain("\"error\"");
        assertThat(events).isEmpty();
    }

    @Test
    void unknownThrowablesAreInternalErrorsButNotRecognisedAsUpstreamFailures() {
        UpstreamGuard guard = guard(GuardPolicy.defaults());
        IllegalStateException bug = new IllegalStateException("bug");
        assertThat(guard.recognise(bug, Phase.UNKNOWN)).isNull();
        assertThat(guard.classify(bug, Phase.UNKNOWN).type()).isEqualTo(ErrorType.PROXY_INTERNAL_ERROR);
        assertThat(guard.classify(bug, Phase.UNKNOWN).cause()).isSameAs(bug);
    }

    @Test
    void aThrowingListenerNeitherBreaksTheRequestNorSilencesOthers() {
        GuardListener broken = new GuardListener() {
            @Override
            public void onFailure(FailureEvent event) {
                throw new IllegalStateException("listener bug");
            }
        };
        UpstreamGuard guard = UpstreamGuard.builder().addListener(broken).addListener(recorder).logFailures(false).build();
        ErrorResponse r = guard.failureResponse(UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT), exchange(null, null));
        assertThat(r.status()).isEqualTo(502);
        assertThat(events).hasSize(1);
    }

    @Test
    void requestIdsAreReusedOnlyWhenSafe() {
        assertThat(RequestIds.resolve("abc-123_x:y.z")).isEqualTo("abc-123_x:y.z");
        assertThat(RequestIds.resolve("<script>")).matches("[0-9a-f]{16}");
        assertThat(RequestIds.resolve("x".repeat(65))).matches("[0-9a-f]{16}");
        assertThat(RequestIds.resolve(null)).matches("[0-9a-f]{16}");
    }

    @Test
    void aDerivedGuardKeepsListenersClockAndTheSameBuckets() {
        UpstreamGuard global = guard(GuardPolicy.defaults());
        UpstreamGuard route = global.toBuilder().policy(GuardPolicy.builder().status(ErrorType.CONNECTION_REFUSED, 503).build()).build();
        assertThat(route.bucketBackend()).isSameAs(global.bucketBackend());
        clock.addAndGet(3_000_000L);
        ErrorResponse r = route.failureResponse(UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT), exchange(null, null));
        assertThat(r.status()).isEqualTo(503);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.elapsedMillis()).isEqualTo(3));
        assertThat(global.policy().statusFor(ErrorType.CONNECTION_REFUSED)).isEqualTo(502);
    }
}
