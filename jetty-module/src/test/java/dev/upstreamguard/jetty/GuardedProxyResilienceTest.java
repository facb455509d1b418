package dev.upstreamguard.jetty;

import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.BucketShape;
import dev.upstreamguard.core.Consumption;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.RetryEvent;
import dev.upstreamguard.core.UpstreamHealth;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.limits.InMemoryBucketBackend;
import dev.upstreamguard.core.policy.PolicyBinder;
import dev.upstreamguard.core.retry.RetryDecision;
import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admission, rotation, passive health and retries of the guarded handler, end to end: a real Jetty proxy
 * on loopback in front of test-kit upstreams (one misbehaving, one answering the control response), a
 * real HTTP client, and the guard's events. No sleeps: every wait is on a response or a counted request,
 * with a bound.
 */
class GuardedProxyResilienceTest {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

    private final RecordingListener events = new RecordingListener();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CLIENT_TIMEOUT).build();
    private MisbehavingUpstream failing;
    private MisbehavingUpstream healthy;
    private ProxyServer proxy;
    private GuardedProxyHandler handler;

    @BeforeEach
    void startUpstreams() {
        failing = MisbehavingUpstream.start();
        healthy = MisbehavingUpstream.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        failing.close();
        healthy.close();
    }

    /** A proxy with route {@code r} on {@code /x} (prefix stripped) to {@code upstreams}, policy from {@code properties}. */
    private void startProxy(Map<String, String> properties, Timeouts timeouts, URI... upstreams) throws Exception {
        startProxy(properties, timeouts, new InMemoryBucketBackend(), upstreams);
    }

    private void startProxy(Map<String, String> properties, Timeouts timeouts, BucketBackend backend, URI... upstreams)
            throws Exception {
        Map<String, String> prefixed = new HashMap<>();
        properties.forEach((k, v) -> prefixed.put("upstream-guard." + k, v));
        UpstreamGuard guard = UpstreamGuard.builder()
                .policy(PolicyBinder.bind(prefixed, "upstream-guard.", k -> false))
                .bucketBackend(backend)
                .addListener(events)
                .build();
        handler = UpstreamGuardProxy.builder().timeouts(timeouts).guard(guard)
                .route(new Route("r", "/x", List.of(upstreams), true))
                .build();
        proxy = ProxyServer.start(handler);
    }

    private void startProxy(Map<String, String> properties, URI... upstreams) throws Exception {
        startProxy(properties, ConformanceRun.TIMEOUTS, upstreams);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(CLIENT_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get() throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(proxy.uri("/x")).GET());
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(proxy.uri("/x")).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private URI ok() {
        return healthy.uri(Fault.CONTROL_OK);
    }

    private static String proxyStatus(HttpResponse<?> response) {
        return response.headers().firstValue("Proxy-Status").orElse(null);
    }

    private List<RetryEvent> retries(RetryEvent.Outcome outcome) {
        return events.retries.stream().filter(e -> e.outcome() == outcome).toList();
    }

    @Test
    void getSucceedsOnTheOtherUpstreamWhenTheFirstRefuses() throws Exception {
        startProxy(Map.of(), failing.refusedUri(), ok());

        HttpResponse<String> response = get();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(MisbehavingUpstream.CONTROL_BODY);
        assertThat(proxyStatus(response)).isNull();
        assertThat(healthy.requestCount(Fault.CONTROL_OK)).isEqualTo(1);
        assertThat(events.retries).hasSize(2);
        assertThat(events.retries.get(0)).satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(RetryEvent.Outcome.SCHEDULED);
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.maxAttempts()).isEqualTo(2);
            assertThat(e.upstreamId()).isEqualTo("r-1");
            assertThat(e.failure().type()).isEqualTo(ErrorType.CONNECTION_REFUSED);
        });
        assertThat(events.retries.get(1)).satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(RetryEvent.Outcome.SUCCEEDED_AFTER_RETRY);
            assertThat(e.attempt()).isEqualTo(2);
            assertThat(e.upstreamId()).isEqualTo("r-2");
            assertThat(e.receivedStatus()).isEqualTo(200);
        });
        assertThat(events.failures).as("a failure that was retried away is not answered").isEmpty();
    }

    @Test
    void postIsNotRetriedOnceItMayHaveReachedTheUpstreamEvenWithResetsOptedIn() throws Exception {
        startProxy(Map.of("retry.conditions", "connect-failure,reset"), failing.uri(Fault.RESET_BEFORE_RESPONSE), ok());

        HttpResponse<String> response = post("order=1");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(proxyStatus(response)).startsWith("upstream-guard;error=connection_terminated");
        assertThat(failing.requestCount(Fault.RESET_BEFORE_RESPONSE)).isEqualTo(1);
        assertThat(healthy.requestCount(Fault.CONTROL_OK)).isZero();
        assertThat(events.retries).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(RetryEvent.Outcome.NOT_RETRIED);
            assertThat(e.reason()).isEqualTo(RetryDecision.METHOD_NOT_IDEMPOTENT);
        });
        assertThat(events.failures).singleElement().satisfies(e -> {
            assertThat(e.upstreamId()).isEqualTo("r-1");
            assertThat(e.attempt()).isEqualTo(1);
        });
    }

    @Test
    void postIsRetriedWhenTheRequestNeverLeft() throws Exception {
        startProxy(Map.of(), failing.refusedUri(), ok());

        HttpResponse<String> response = post("order=1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(healthy.requestCount(Fault.CONTROL_OK)).isEqualTo(1);
        assertThat(retries(RetryEvent.Outcome.SCHEDULED)).hasSize(1);
    }

    @Test
    void streamedBodyIsStillSentAfterAnAttemptThatNeverReadIt() throws Exception {
        startProxy(Map.of(), failing.refusedUri(), ok());
        byte[] body = "a body of unknown length".getBytes(StandardCharsets.US_ASCII);

        HttpResponse<String> response = send(HttpRequest.newBuilder(proxy.uri("/x"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(healthy.requestCount(Fault.CONTROL_OK)).isEqualTo(1);
    }

    @Test
    void onlyBodiesUpToTheReplayableSizeAreRetriedOnceSent() throws Exception {
        startProxy(Map.of("retry.methods", "GET,PUT", "retry.max-replayable-body", "16", "retry.conditions", "reset"),
                failing.uri(Fault.RESET_BEFORE_RESPONSE));

        HttpResponse<String> small = send(HttpRequest.newBuilder(proxy.uri("/x"))
                .PUT(HttpRequest.BodyPublishers.ofString("sixteen bytes..!")));
        int afterSmall = failing.requestCount(Fault.RESET_BEFORE_RESPONSE);
        HttpResponse<String> large = send(HttpRequest.newBuilder(proxy.uri("/x"))
                .PUT(HttpRequest.BodyPublishers.ofString("seventeen bytes..")));

        assertThat(small.statusCode()).isEqualTo(502);
        assertThat(large.statusCode()).isEqualTo(502);
        assertThat(afterSmall).as("the buffered body was sent twice").isEqualTo(2);
        assertThat(failing.requestCount(Fault.RESET_BEFORE_RESPONSE)).isEqualTo(3);
        assertThat(events.retries).extracting(RetryEvent::reason).containsExactly(RetryDecision.FAILURE,
                RetryDecision.ATTEMPTS_EXHAUSTED, RetryDecision.BODY_NOT_REPLAYABLE);
    }

    @Test
    void upstream503WithRetryAfterAboveTheCapPassesThroughUnretried() throws Exception {
        startProxy(Map.of("retry.conditions", "status"), failing.uri(Fault.UPSTREAM_503_RETRY_AFTER), ok());

        HttpResponse<String> response = get();

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(proxyStatus(response)).startsWith("upstream-guard;received-status=503");
        assertThat(healthy.requestCount(Fault.CONTROL_OK)).isZero();
        assertThat(events.retries).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(RetryDecision.RETRY_AFTER_TOO_LONG);
            assertThat(e.receivedStatus()).isEqualTo(503);
        });
    }

    @Test
    void upstream502IsRetriedOnceOnTheOtherUpstreamWhenStatusesAreOptedIn() throws Exception {
        startProxy(Map.of("retry.conditions", "status"), failing.uri(Fault.UPSTREAM_502), ok());

        HttpResponse<String> response = get();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(MisbehavingUpstream.CONTROL_BODY);
        assertThat(failing.requestCount(Fault.UPSTREAM_502)).isEqualTo(1);
        assertThat(healthy.requestCount(Fault.CONTROL_OK)).isEqualTo(1);
    }

    @Test
    void theLastOf502sPassesThroughAfterOneRetry() throws Exception {
        startProxy(Map.of("retry.conditions", "status", "exposure.trusted-cidrs", "127.0.0.0/8,::1/128"),
                failing.uri(Fault.UPSTREAM_502), healthy.uri(Fault.UPSTREAM_502));

        HttpResponse<String> response = get();

        assertThat(response.statusCode()).isEqualTo(502);
        // loopback clients are trusted here, so next-hop shows which upstream the last attempt went to
        assertThat(proxyStatus(response))
                .isEqualTo("upstream-guard;received-status=502;next-hop=\"127.0.0.1:" + healthy.port() + "\"");
        assertThat(failing.requestCount(Fault.UPSTREAM_502)).isEqualTo(1);
        assertThat(healthy.requestCount(Fault.UPSTREAM_502)).isEqualTo(1);
        assertThat(events.retries).extracting(RetryEvent::outcome)
                .containsExactly(RetryEvent.Outcome.SCHEDULED, RetryEvent.Outcome.NOT_RETRIED);
        assertThat(events.failures).singleElement().satisfies(e -> {
            assertThat(e.upstreamId()).isEqualTo("r-2");
            assertThat(e.attempt()).isEqualTo(2);
            assertThat(e.maxAttempts()).isEqualTo(2);
        });
    }

    @Test
    void aRetryDecisionThatCompletesLaterHoldsTheHeadUntilDecided() throws Exception {
        // the budget's answers arrive 50 ms later on another thread, like a remote backend's
        startProxy(Map.of("retry.budget-ratio", "0", "retry.budget-min-per-second", "0", "retry.conditions", "status"),
                ConformanceRun.TIMEOUTS, new LateBackend(new InMemoryBucketBackend()), failing.uri(Fault.UPSTREAM_502));

        HttpResponse<String> granted = get();  // 502, retry granted later, 502 again, passed through
        HttpResponse<String> denied = get();   // 502, retry denied later: the held head and body pass through

        assertThat(granted.statusCode()).isEqualTo(502);
        assertThat(denied.statusCode()).isEqualTo(502);
        assertThat(denied.body()).isEqualTo("upstream answered 502 Bad Gateway\n");
        assertThat(proxyStatus(denied)).startsWith("upstream-guard;received-status=502");
        assertThat(failing.requestCount(Fault.UPSTREAM_502)).isEqualTo(3);
        assertThat(events.retries).extracting(RetryEvent::outcome).containsExactly(RetryEvent.Outcome.SCHEDULED,
                RetryEvent.Outcome.NOT_RETRIED, RetryEvent.Outcome.DENIED_BY_BUDGET);
    }

    /** A backend whose answers complete 50 ms later on another thread. */
    private static final class LateBackend implements BucketBackend {
        private static final Executor LATER = CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS);
        private final BucketBackend delegate;

        LateBackend(BucketBackend delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletionStage<Consumption> tryConsume(String key, BucketShape shape, long tokens) {
            return delegate.tryConsume(key, shape, tokens).thenApplyAsync(c -> c, LATER);
        }

        @Override
        public CompletionStage<Void> addTokens(String key, BucketShape shape, long tokens) {
            return delegate.addTokens(key, shape, tokens).thenApplyAsync(v -> v, LATER);
        }

        @Override
        public String name() {
            return "late";
        }
    }

    @Test
    void anUpstreamFailingTwiceInARowIsEjectedAndNoLongerTried() throws Exception {
        startProxy(Map.of("health.consecutive-failures", "2", "retry.conditions", "reset"), failing.uri(Fault.RESET_BEFORE_RESPONSE),
                ok());

        // rotation starts on r-1, then r-2, then r-1 again: its second failure in a row ejects it
        for (int i = 0; i < 3; i++) {
            assertThat(get().statusCode()).isEqualTo(200);
        }
        assertThat(events.health).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(HealthEvent.Kind.EJECTED);
            assertThat(e.upstreamId()).isEqualTo("r-1");
        });
        for (int i = 0; i < 4; i++) {
            assertThat(get().statusCode()).isEqualTo(200);
        }

        assertThat(failing.requestCount(Fault.RESET_BEFORE_RESPONSE)).isEqualTo(2);
        assertThat(healthy.requestCount(Fault.CONTROL_OK)).isEqualTo(7);
        assertThat(handler.upstreamPool("r").health()).extracting(UpstreamHealth::ejected).containsExactly(true, false);
    }

    @Test
    void withoutAPanicThresholdEveryUpstreamEjectedAnswers503DestinationUnavailableWithRetryAfter() throws Exception {
        startProxy(Map.of("health.consecutive-failures", "1", "health.base-ejection", "20s", "retry.conditions", "reset",
                        "health.max-ejected-percent", "100", "health.panic-threshold", "0"),
                failing.uri(Fault.RESET_BEFORE_RESPONSE), failing.uri(Fault.CLOSE_BEFORE_RESPONSE));

        HttpResponse<String> last = get(); // r-1 fails and goes out, the retry on r-2 fails and it goes out too
        HttpResponse<String> none = get();

        assertThat(last.statusCode()).isEqualTo(502);
        assertThat(events.health).extracting(HealthEvent::upstreamId).containsExactly("r-1", "r-2");
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(proxyStatus(none)).startsWith("upstream-guard;error=destination_unavailable");
        long retryAfter = Long.parseLong(none.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 20L);
        assertThat(events.admissions).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(AdmissionEvent.Kind.NO_HEALTHY_UPSTREAM);
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.retryAfterSeconds()).isEqualTo(retryAfter);
        });
        assertThat(failing.requestCount(Fault.RESET_BEFORE_RESPONSE)).isEqualTo(1);
        assertThat(failing.requestCount(Fault.CLOSE_BEFORE_RESPONSE)).isEqualTo(1);
    }

    @Test
    void theBudgetDeniesRetriesOnceSpent() throws Exception {
        // no ratio and no floor: the bucket holds exactly one retry and refills one token a day
        startProxy(Map.of("retry.budget-ratio", "0", "retry.budget-min-per-second", "0", "retry.conditions", "reset"),
                failing.uri(Fault.RESET_BEFORE_RESPONSE));

        HttpResponse<String> first = get();
        HttpResponse<String> second = get();

        assertThat(first.statusCode()).isEqualTo(502);
        assertThat(second.statusCode()).isEqualTo(502);
        assertThat(proxyStatus(second)).startsWith("upstream-guard;error=connection_terminated");
        assertThat(failing.requestCount(Fault.RESET_BEFORE_RESPONSE)).isEqualTo(3);
        assertThat(events.retries).extracting(RetryEvent::outcome).containsExactly(RetryEvent.Outcome.SCHEDULED,
                RetryEvent.Outcome.NOT_RETRIED, RetryEvent.Outcome.DENIED_BY_BUDGET);
        assertThat(events.failures).extracting(e -> e.attempt() + "/" + e.maxAttempts()).containsExactly("2/2", "1/2");
    }

    @Test
    void perTryTimeoutMovesOnToTheNextUpstreamBeforeTheHeadTimeout() throws Exception {
        startProxy(Map.of("retry.per-try-timeout", "300ms", "retry.conditions", "timeout"),
                ConformanceRun.TIMEOUTS.withResponseHead(Duration.ofSeconds(8)),
                failing.uri(Fault.STALL), ok());
        long start = System.nanoTime();

        HttpResponse<String> response = get();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        assertThat(retries(RetryEvent.Outcome.SCHEDULED)).singleElement()
                .satisfies(e -> assertThat(e.failure().type()).isEqualTo(ErrorType.HTTP_RESPONSE_TIMEOUT));
    }

    // ---- the defaults: no self-inflicted outage, no duplicate request, no longer wait ----------------------

    @Test
    void byDefaultASingleUpstreamRouteAnswersEveryRequestItselfHoweverOftenItFails() throws Exception {
        startProxy(Map.of(), failing.baseUri());

        for (int i = 0; i < 12; i++) {
            HttpResponse<String> failed = send(HttpRequest.newBuilder(proxy.uri("/x/fault/reset-before-response")));
            assertThat(failed.statusCode()).isEqualTo(502);
            assertThat(proxyStatus(failed)).startsWith("upstream-guard;error=connection_terminated");
        }
        HttpResponse<String> fine = send(HttpRequest.newBuilder(proxy.uri("/x/fault/control-ok")));

        assertThat(fine.statusCode()).isEqualTo(200);
        assertThat(failing.requestCount(Fault.RESET_BEFORE_RESPONSE)).as("sent once each, never retried").isEqualTo(12);
        assertThat(events.health).as("the only upstream is never ejected").isEmpty();
        assertThat(events.admissions).isEmpty();
    }

    @Test
    void byDefaultNoRequestThatMayHaveBeenReceivedIsSentTwice() throws Exception {
        startProxy(Map.of(), failing.baseUri(), failing.baseUri());

        for (Fault fault : List.of(Fault.RESET_BEFORE_RESPONSE, Fault.CLOSE_BEFORE_RESPONSE)) {
            URI uri = proxy.uri("/x" + fault.path());
            assertThat(post(uri, "order=1").statusCode()).isEqualTo(502);
            assertThat(send(HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofString("x"))).statusCode())
                    .isEqualTo(502);
            assertThat(send(HttpRequest.newBuilder(uri).GET()).statusCode()).isEqualTo(502);
            assertThat(failing.requestCount(fault)).as("%s: POST, PUT and GET received once each", fault).isEqualTo(3);
        }
        assertThat(retries(RetryEvent.Outcome.SCHEDULED)).isEmpty();
        assertThat(events.retries).extracting(RetryEvent::reason).containsOnly(RetryDecision.ERROR_NOT_RETRYABLE);
    }

    @Test
    void byDefaultATimedOutRequestIsAnsweredWithinTheConfiguredResponseTimeout() throws Exception {
        Duration headTimeout = Duration.ofMillis(800);
        startProxy(Map.of(), ConformanceRun.TIMEOUTS.withResponseHead(headTimeout), failing.uri(Fault.STALL),
                failing.uri(Fault.STALL));
        long start = System.nanoTime();

        HttpResponse<String> response = get();

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(proxyStatus(response)).startsWith("upstream-guard;error=http_response_timeout");
        assertThat(took).as("one timeout, not one per attempt").isLessThan(headTimeout.plusMillis(700));
        assertThat(failing.requestCount(Fault.STALL)).isEqualTo(1);
    }

    private HttpResponse<String> post(URI uri, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void rateLimitedClientsGet429AndEveryResponseCarriesTheRateLimitFields() throws Exception {
        startProxy(Map.of("rate-limit.enabled", "true", "rate-limit.limit", "1", "rate-limit.window", "1h"), ok());

        HttpResponse<String> allowed = get();
        HttpResponse<String> refused = get();

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("RateLimit-Policy")).hasValue("\"default\";q=1;w=3600");
        assertThat(allowed.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"default\";r=0;"));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(proxyStatus(refused)).startsWith("upstream-guard;error=http_request_error;status-code=429");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("RateLimit-Policy")).hasValue("\"default\";q=1;w=3600");
        assertThat(refused.headers().firstValue("RateLimit")).isPresent();
        assertThat(healthy.requestCount(Fault.CONTROL_OK)).isEqualTo(1);
        assertThat(events.admissions).extracting(AdmissionEvent::kind).containsExactly(AdmissionEvent.Kind.RATE_LIMITED);
    }

    @Test
    void theConcurrencyLimitSheds503AndFreesTheSlotWhenTheExchangeEnds() throws Exception {
        startProxy(Map.of("concurrency.max-concurrent", "1", "retry.max-attempts", "1"), failing.baseUri());
        CompletableFuture<HttpResponse<String>> stalled = client.sendAsync(HttpRequest.newBuilder(proxy.uri("/x/fault/stall"))
                .timeout(CLIENT_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        failing.awaitRequests(Fault.STALL, 1, CLIENT_TIMEOUT);

        HttpResponse<String> shed = send(HttpRequest.newBuilder(proxy.uri("/x/fault/control-ok")));

        assertThat(shed.statusCode()).isEqualTo(503);
        assertThat(proxyStatus(shed)).startsWith("upstream-guard;error=connection_limit_reached");
        assertThat(shed.headers().firstValue("Retry-After")).isPresent();
        assertThat(failing.requestCount(Fault.CONTROL_OK)).isZero();
        assertThat(stalled.get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(504);
        // the slot is freed when the exchange's callback completes, which may be just after the client saw the end
        assertThat(admittedWithin(Duration.ofSeconds(5))).isTrue();
        assertThat(events.admissions).extracting(AdmissionEvent::kind).first().isEqualTo(AdmissionEvent.Kind.CONCURRENCY_LIMITED);
    }

    private boolean admittedWithin(Duration bound) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (send(HttpRequest.newBuilder(proxy.uri("/x/fault/control-ok"))).statusCode() == 200) {
                return true;
            }
        }
        return false;
    }
}
