package dev.upstreamguard.core.retry;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.RetryEvent;
import dev.upstreamguard.core.RetryEvent.Outcome;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.limits.InMemoryBucketBackend;
import dev.upstreamguard.core.policy.RetryCondition;
import dev.upstreamguard.core.policy.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RetrierTest {
    private static final Instant WALL_NOW = Instant.parse("2026-11-26T12:00:00Z");
    /** Every retry condition opted in, so that the safety rules alone decide. */
    private static final RetryPolicy THREE_ATTEMPTS = RetryPolicy.defaults().withMaxAttempts(3)
            .withBudget(1.0, RetryPolicy.MAX_BUDGET_MIN_PER_SECOND).withRetryOn(EnumSet.allOf(RetryCondition.class));
    /** Types that prove no connection was made, spelled out here. */
    private static final Set<ErrorType> NEVER_CONNECTED = EnumSet.of(ErrorType.DNS_ERROR, ErrorType.DNS_TIMEOUT,
            ErrorType.CONNECTION_REFUSED, ErrorType.CONNECTION_LIMIT_REACHED, ErrorType.DESTINATION_UNAVAILABLE,
            ErrorType.DESTINATION_IP_UNROUTABLE);
    /** Types of a request that may have been received that retry.conditions=timeout or reset covers. */
    private static final Set<ErrorType> TIMEOUT_OR_RESET = EnumSet.of(ErrorType.CONNECTION_TIMEOUT,
            ErrorType.CONNECTION_READ_TIMEOUT, ErrorType.CONNECTION_WRITE_TIMEOUT, ErrorType.HTTP_RESPONSE_TIMEOUT,
            ErrorType.CONNECTION_TERMINATED, ErrorType.HTTP_RESPONSE_INCOMPLETE, ErrorType.TLS_PROTOCOL_ERROR,
            ErrorType.TLS_ALERT_RECEIVED, ErrorType.TLS_CERTIFICATE_ERROR);
    /** Error types no retry can help, spelled out here rather than taken from the code under test. */
    private static final Set<ErrorType> NEVER_RETRIED = EnumSet.of(ErrorType.PROXY_INTERNAL_RESPONSE,
            ErrorType.PROXY_INTERNAL_ERROR, ErrorType.PROXY_CONFIGURATION_ERROR, ErrorType.PROXY_LOOP_DETECTED,
            ErrorType.HTTP_REQUEST_ERROR, ErrorType.HTTP_REQUEST_DENIED, ErrorType.DESTINATION_NOT_FOUND);

    private final FakeNanoClock clock = new FakeNanoClock();
    private final RecordingListener listener = new RecordingListener();
    private final InMemoryBucketBackend backend = new InMemoryBucketBackend(clock, 100);

    private Retrier retrier(RetryPolicy policy) {
        return retrier(policy, new RetryBudget("route-a", policy, backend), listener);
    }

    private Retrier retrier(RetryPolicy policy, RetryBudget budget, GuardListener events) {
        return new Retrier("route-a", policy, budget, clock, () -> 0.5, events, Clock.fixed(WALL_NOW, ZoneOffset.UTC));
    }

    private AttemptContext ctx(String method, boolean replayable, boolean committed, int attempt) {
        return new AttemptContext(method, replayable, committed, attempt, clock.getAsLong());
    }

    private AttemptContext get(int attempt) {
        return ctx("GET", true, false, attempt);
    }

    private static RetryDecision now(java.util.concurrent.CompletionStage<RetryDecision> stage) {
        RetryDecision d = stage.toCompletableFuture().getNow(null);
        assertThat(d).as("an in-memory decision completes at once").isNotNull();
        return d;
    }

    private static UpstreamFailure failure(ErrorType type, Phase phase) {
        return UpstreamFailure.of(type, phase);
    }

    // ---- which failures prove by their type that the request never left ------------------------------

    static Stream<Arguments> everyTypeInEveryPhase() {
        List<Arguments> all = new ArrayList<>();
        for (ErrorType type : ErrorType.values()) {
            for (Phase phase : Phase.values()) {
                all.add(Arguments.of(type, phase));
            }
        }
        return all.stream();
    }

    /** The phase is a classifier's label, not an observation: a TLS error "in the handshake" proves nothing. */
    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("everyTypeInEveryPhase")
    void requestNeverLeftIsProvenByTheTypeAloneNeverByThePhase(ErrorType type, Phase phase) {
        assertThat(Retrier.requestNeverLeft(failure(type, phase))).isEqualTo(NEVER_CONNECTED.contains(type));
    }

    // ---- the safety decision over every type, phase, method, body and commit state --------------------

    static Stream<Arguments> everyFailureCombination() {
        List<Arguments> all = new ArrayList<>();
        for (ErrorType type : ErrorType.values()) {
            for (RequestDelivery delivery : RequestDelivery.values()) {
                for (String method : List.of("GET", "PUT", "POST")) {
                    for (boolean replayable : List.of(true, false)) {
                        for (boolean committed : List.of(true, false)) {
                            all.add(Arguments.of(type, delivery, method, replayable, committed));
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} replayable={3} committed={4}")
    @MethodSource("everyFailureCombination")
    void aFailureIsRetriedExactlyWhenItIsSafe(ErrorType type, RequestDelivery delivery, String method,
                                              boolean replayable, boolean committed) {
        UpstreamFailure f = failure(type, Phase.UNKNOWN);
        boolean neverLeft = delivery == RequestDelivery.NOT_SENT
                || (delivery == RequestDelivery.UNKNOWN && NEVER_CONNECTED.contains(type));
        boolean covered = neverLeft || TIMEOUT_OR_RESET.contains(type);
        boolean safe = !committed && !NEVER_RETRIED.contains(type) && covered
                && (neverLeft || (method.equals("GET") && replayable));
        AttemptContext c = new AttemptContext(method, replayable, committed, 1, clock.getAsLong(), delivery, 0, false);

        RetryDecision d = now(retrier(THREE_ATTEMPTS).afterFailure(c, f, "up-1"));

        assertThat(d.retry()).isEqualTo(safe);
        RetryEvent event = listener.only();
        assertThat(event.outcome()).isEqualTo(safe ? Outcome.SCHEDULED : Outcome.NOT_RETRIED);
        assertThat(event.failure()).isSameAs(f);
        if (safe) {
            assertThat(d.reason()).isEqualTo(RetryDecision.FAILURE);
        } else {
            String expected = committed ? RetryDecision.RESPONSE_COMMITTED
                    : NEVER_RETRIED.contains(type) || !covered ? RetryDecision.ERROR_NOT_RETRYABLE
                    : !method.equals("GET") ? RetryDecision.METHOD_NOT_IDEMPOTENT : RetryDecision.BODY_NOT_REPLAYABLE;
            assertThat(d.reason()).isEqualTo(expected);
            assertThat(d.delay()).isZero();
        }
        assertThat(event.reason()).isEqualTo(d.reason());
    }

    // ---- property: never retries an unsafe request ----------------------------------------------------

    @Test
    void neverRetriesAnUnsafeRequest() {
        Random rnd = new Random(1994L);
        ErrorType[] types = ErrorType.values();
        Phase[] phases = Phase.values();
        List<String> methods = List.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH", "get", "TRACE", "PROPFIND");
        RetryPolicy policy = THREE_ATTEMPTS.withRetryableMethods(Set.of("GET", "HEAD", "OPTIONS", "PUT"))
                .withRetryOnStatuses(Set.of(429, 500, 502, 503, 504));
        Retrier retrier = retrier(policy);
        int retried = 0;
        for (int i = 0; i < 10_000; i++) {
            String method = methods.get(rnd.nextInt(methods.size()));
            boolean replayable = rnd.nextBoolean();
            boolean committed = rnd.nextInt(4) == 0;
            RequestDelivery delivery = RequestDelivery.values()[rnd.nextInt(RequestDelivery.values().length)];
            AttemptContext c = new AttemptContext(method, replayable, committed, 1 + rnd.nextInt(2), clock.getAsLong(),
                    delivery, 0, false);
            boolean unsafeOnceSent = !policy.retryableMethods().contains(method) || !replayable || committed;
            RetryDecision d;
            boolean mayHaveReachedUpstream;
            if (rnd.nextBoolean()) {
                UpstreamFailure f = failure(types[rnd.nextInt(types.length)], phases[rnd.nextInt(phases.length)]);
                mayHaveReachedUpstream = delivery == RequestDelivery.MAY_HAVE_BEEN_SENT
                        || (delivery == RequestDelivery.UNKNOWN && !Retrier.requestNeverLeft(f));
                d = now(retrier.afterFailure(c, f, null));
                if (NEVER_RETRIED.contains(f.type())) {
                    assertThat(d.retry()).as("%s %s", f, c).isFalse();
                }
            } else {
                mayHaveReachedUpstream = true;
                d = now(retrier.afterResponse(c, 400 + rnd.nextInt(200), rnd.nextBoolean() ? "0" : null, null));
            }
            if (committed || (mayHaveReachedUpstream && unsafeOnceSent)) {
                assertThat(d.retry()).as("case %d: %s -> %s", i, c, d).isFalse();
            }
            retried += d.retry() ? 1 : 0;
        }
        assertThat(retried).as("the property is not vacuous").isGreaterThan(500);
    }

    // ---- the defaults retry only what never reached the upstream ----------------------------------------

    @ParameterizedTest(name = "{0} after sending")
    @MethodSource("everyTypeInEveryPhase")
    void byDefaultNothingThatMayHaveBeenReceivedIsRetried(ErrorType type, Phase phase) {
        RetryPolicy defaults = RetryPolicy.defaults().withBudget(1.0, RetryPolicy.MAX_BUDGET_MIN_PER_SECOND);
        AttemptContext sent = new AttemptContext("GET", true, false, 1, clock.getAsLong(),
                RequestDelivery.MAY_HAVE_BEEN_SENT, 0, false);
        AttemptContext notSent = new AttemptContext("POST", false, false, 1, clock.getAsLong(),
                RequestDelivery.NOT_SENT, 0, false);
        UpstreamFailure f = failure(type, phase);

        assertThat(now(retrier(defaults).afterFailure(sent, f, null)).retry())
                .as("an observed 'may have been sent' is never overruled by the error type").isFalse();
        assertThat(now(retrier(defaults).afterFailure(notSent, f, null)).retry())
                .as("a request that never left is retried for any method").isEqualTo(!NEVER_RETRIED.contains(type));
    }

    @Test
    void byDefaultNoUpstreamStatusIsRetried() {
        Retrier retrier = retrier(RetryPolicy.defaults());
        for (int status : new int[] {502, 503, 504}) {
            assertThat(retrier.retriesStatus(status)).isFalse();
            assertThat(now(retrier.afterResponse(get(1), status, null, "up-1")).reason())
                    .isEqualTo(RetryDecision.STATUS_NOT_RETRYABLE);
        }
    }

    @Test
    void theRequestsOwnDeadlineBoundsTheBackoff() {
        Retrier retrier = retrier(THREE_ATTEMPTS);
        AttemptContext tight = new AttemptContext("GET", true, false, 1, clock.getAsLong(),
                RequestDelivery.NOT_SENT, Duration.ofMillis(10).toNanos(), false);
        // the backoff of attempt 1 is 12.5 ms with this retrier's jitter: past a 10 ms deadline
        assertThat(now(retrier.afterFailure(tight, failure(ErrorType.CONNECTION_REFUSED, Phase.CONNECT), null)))
                .isEqualTo(RetryDecision.noRetry(RetryDecision.DEADLINE_EXCEEDED));
    }

    // ---- responses and Retry-After ----------------------------------------------------------------------

    @Test
    void aStatusThatIsNotRetriedIsAnsweredWithoutAnEvent() {
        Retrier retrier = retrier(THREE_ATTEMPTS);
        for (int status : new int[] {200, 204, 304, 404, 500}) {
            RetryDecision d = now(retrier.afterResponse(get(1), status, null, "up-1"));
            assertThat(d.retry()).isFalse();
            assertThat(d.reason()).isEqualTo(RetryDecision.STATUS_NOT_RETRYABLE);
        }
        assertThat(listener.events).isEmpty();
    }

    @Test
    void aRetryableStatusIsRetriedAfterTheBackoffAndTheEventSaysSo() {
        RetryDecision d = now(retrier(THREE_ATTEMPTS).afterResponse(get(1), 503, null, "up-1"));
        assertThat(d).isEqualTo(RetryDecision.retryAfter(Duration.ofNanos(12_500_000), RetryDecision.STATUS));
        assertThat(listener.only()).isEqualTo(new RetryEvent("route-a", "up-1", 1, 3, Outcome.SCHEDULED, "status", 12,
                null, 503));
    }

    @ParameterizedTest(name = "Retry-After ''{0}'' waits {1} ms")
    @CsvSource(delimiter = '|', value = {"0|0", "1|1000", "Thu, 26 Nov 2026 12:00:01 GMT|1000",
            "Thu, 26 Nov 2026 11:00:00 GMT|0", "Thursday, 26-Nov-26 12:00:01 GMT|1000", "Thu Nov 26 12:00:00 2026|0"})
    void aRetryAfterUpToTheCapIsTheDelay(String retryAfter, long millis) {
        RetryDecision d = now(retrier(THREE_ATTEMPTS).afterResponse(get(1), 503, retryAfter, "up-1"));
        assertThat(d.retry()).isTrue();
        assertThat(d.delay()).isEqualTo(Duration.ofMillis(millis));
        assertThat(listener.only().delayMillis()).isEqualTo(millis);
    }

    @ParameterizedTest(name = "Retry-After ''{0}'' is above the cap")
    @ValueSource(strings = {"2", "3600", "99999999999999999999999", "Thu, 26 Nov 2026 12:00:02 GMT"})
    void aRetryAfterAboveTheCapIsNotWaitedForAndTheResponsePassesThrough(String retryAfter) {
        RetryDecision d = now(retrier(THREE_ATTEMPTS).afterResponse(get(1), 503, retryAfter, "up-1"));
        assertThat(d).isEqualTo(RetryDecision.noRetry(RetryDecision.RETRY_AFTER_TOO_LONG));
        RetryEvent event = listener.only();
        assertThat(event.outcome()).isEqualTo(Outcome.NOT_RETRIED);
        assertThat(event.receivedStatus()).isEqualTo(503);
        assertThat(event.failure()).isNull();
    }

    @ParameterizedTest(name = "Retry-After ''{0}'' is ignored")
    @ValueSource(strings = {"-1", "soon", "1.5", "Thu, 26 Nov 2026 12:00:02 UTC", ""})
    void anInvalidRetryAfterIsIgnoredInFavourOfTheBackoff(String retryAfter) {
        RetryDecision d = now(retrier(THREE_ATTEMPTS).afterResponse(get(1), 503, retryAfter, "up-1"));
        assertThat(d).isEqualTo(RetryDecision.retryAfter(Duration.ofNanos(12_500_000), RetryDecision.STATUS));
    }

    @Test
    void aRetryAfterIsReadOnResponsesOnlyAndAZeroCapRefusesAnyWait() {
        RetryPolicy noWaiting = THREE_ATTEMPTS.withRetryAfterCap(Duration.ZERO);
        assertThat(now(retrier(noWaiting).afterResponse(get(1), 503, "1", null)).reason())
                .isEqualTo(RetryDecision.RETRY_AFTER_TOO_LONG);
        assertThat(now(retrier(noWaiting).afterResponse(get(1), 503, "0", null)).retry()).isTrue();
    }

    @ParameterizedTest(name = "{0} body replayable={1} committed={2}: {3}")
    @CsvSource({"POST, true, false, method_not_idempotent", "get, true, false, method_not_idempotent",
            "GET, false, false, body_not_replayable", "GET, true, true, response_committed",
            "PUT, true, false, method_not_idempotent"})
    void aRetryableStatusFollowsTheSafetyRulesOfARequestThatReachedTheUpstream(String method, boolean replayable,
                                                                              boolean committed, String reason) {
        RetryDecision d = now(retrier(THREE_ATTEMPTS).afterResponse(ctx(method, replayable, committed, 1), 502, "0", null));
        assertThat(d).isEqualTo(RetryDecision.noRetry(reason));
        assertThat(listener.only().outcome()).isEqualTo(Outcome.NOT_RETRIED);
    }

    // ---- attempts, backoff and deadline -----------------------------------------------------------------

    @Test
    void attemptsStopAtMaxAttemptsAndTheBackoffDoublesOnTheWay() {
        Retrier retrier = retrier(THREE_ATTEMPTS.withMaxAttempts(6));
        UpstreamFailure refused = failure(ErrorType.CONNECTION_REFUSED, Phase.CONNECT);
        List<Duration> delays = new ArrayList<>();
        for (int attempt = 1; attempt <= 5; attempt++) {
            RetryDecision d = now(retrier.afterFailure(ctx("POST", false, false, attempt), refused, null));
            assertThat(d.retry()).as("attempt %d", attempt).isTrue();
            delays.add(d.delay());
        }
        assertThat(delays).containsExactly(Duration.ofNanos(12_500_000), Duration.ofMillis(25), Duration.ofMillis(50),
                Duration.ofMillis(100), Duration.ofMillis(125));
        RetryDecision last = now(retrier.afterFailure(ctx("POST", false, false, 6), refused, null));
        assertThat(last).isEqualTo(RetryDecision.noRetry(RetryDecision.ATTEMPTS_EXHAUSTED));
        assertThat(listener.events.get(5).attempt()).isEqualTo(6);
        assertThat(listener.events.get(5).maxAttempts()).isEqualTo(6);
    }

    @Test
    void aDisabledPolicyRetriesNothing() {
        RetryDecision d = now(retrier(RetryPolicy.disabled()).afterFailure(get(1),
                failure(ErrorType.DNS_ERROR, Phase.RESOLVE), null));
        assertThat(d).isEqualTo(RetryDecision.noRetry(RetryDecision.ATTEMPTS_EXHAUSTED));
    }

    @Test
    void noRetryIsScheduledWhoseDelayEndsAtOrAfterTheDeadline() {
        Retrier retrier = retrier(THREE_ATTEMPTS);
        long start = clock.getAsLong();
        clock.advance(Duration.ofMillis(9_000));
        assertThat(now(retrier.afterResponse(new AttemptContext("GET", true, false, 1, start), 503, "1", null)))
                .isEqualTo(RetryDecision.noRetry(RetryDecision.DEADLINE_EXCEEDED));
        assertThat(now(retrier.afterResponse(new AttemptContext("GET", true, false, 1, start), 503, "0", null)).retry())
                .isTrue();

        clock.advance(Duration.ofMillis(988));
        UpstreamFailure f = failure(ErrorType.CONNECTION_REFUSED, Phase.CONNECT);
        assertThat(now(retrier.afterFailure(new AttemptContext("GET", true, false, 1, start), f, null)).retry())
                .as("9.988 s + 12.5 ms backoff ends past 10 s").isFalse();
        assertThat(listener.events.get(listener.events.size() - 1).reason()).isEqualTo(RetryDecision.DEADLINE_EXCEEDED);
    }

    // ---- the budget -----------------------------------------------------------------------------------

    /** A 20 %, no-floor budget whose starting allowance is spent but for one retry. */
    private Retrier retrierWithOneRetryLeft() {
        RetryPolicy policy = THREE_ATTEMPTS.withBudget(0.2, 0);
        RetryBudget budget = new RetryBudget("route-a", policy, backend);
        while (budget.tryAcquireRetry().toCompletableFuture().getNow(false)) {
            // spend the allowance of a new route
        }
        Retrier retrier = retrier(policy, budget, listener);
        for (int i = 0; i < 5; i++) {
            retrier.onRequest();
        }
        return retrier;
    }

    @Test
    void aRetryTheBudgetDeniesIsReportedAndTheOriginalFailureStands() {
        Retrier retrier = retrierWithOneRetryLeft();
        UpstreamFailure f = failure(ErrorType.CONNECTION_TERMINATED, Phase.AWAIT_RESPONSE);
        assertThat(now(retrier.afterFailure(get(1), f, "up-1")).retry()).as("the last token").isTrue();

        RetryDecision denied = now(retrier.afterFailure(get(1), f, "up-1"));

        assertThat(denied).isEqualTo(RetryDecision.noRetry(RetryDecision.BUDGET_EXHAUSTED));
        assertThat(listener.events.get(1)).isEqualTo(new RetryEvent("route-a", "up-1", 1, 3, Outcome.DENIED_BY_BUDGET,
                "budget_exhausted", 0, f, 0));
        for (int i = 0; i < 5; i++) {
            retrier.onRequest();
        }
        assertThat(now(retrier.afterFailure(get(1), f, "up-1")).retry()).as("five requests earn one retry").isTrue();
    }

    @Test
    void theBudgetIsAskedOnlyWhenEverythingElseSaysRetry() {
        Retrier retrier = retrierWithOneRetryLeft();
        UpstreamFailure reset = failure(ErrorType.CONNECTION_TERMINATED, Phase.AWAIT_RESPONSE);
        now(retrier.afterFailure(ctx("POST", true, false, 1), reset, null));
        now(retrier.afterFailure(get(3), reset, null));
        now(retrier.afterResponse(get(1), 503, "5", null));
        clock.advance(Duration.ofSeconds(11));
        now(retrier.afterFailure(new AttemptContext("GET", true, false, 1, clock.getAsLong() - 10_000_000_000L), reset, null));
        assertThat(listener.events).extracting(RetryEvent::reason).containsExactly("method_not_idempotent", "attempts_exhausted",
                "retry_after_too_long", "deadline_exceeded");
        assertThat(now(retrier.afterFailure(get(1), reset, null)).retry()).as("the one token is still there").isTrue();
    }

    @Test
    void aFailedBudgetBackendDeniesTheRetryAsExhausted() {
        RetryBudget broken = new RetryBudget("route-a", THREE_ATTEMPTS, new RetryBudgetTest.BrokenBackend(false));
        Retrier retrier = retrier(THREE_ATTEMPTS, broken, listener);
        retrier.onRequest();
        RetryDecision d = now(retrier.afterFailure(get(1), failure(ErrorType.DNS_TIMEOUT, Phase.RESOLVE), null));
        assertThat(d).isEqualTo(RetryDecision.noRetry(RetryDecision.BUDGET_EXHAUSTED));
        assertThat(listener.only().outcome()).isEqualTo(Outcome.DENIED_BY_BUDGET);
    }

    // ---- transparent retries: never left, to an upstream not tried yet ---------------------------------

    /** A GET's attempt {@code attempt} that ended with {@code delivery}, on a route with an upstream it has not tried. */
    private AttemptContext towardUntried(int attempt, RequestDelivery delivery) {
        return new AttemptContext("GET", true, false, attempt, clock.getAsLong(), delivery, 0, true);
    }

    @ParameterizedTest
    @CsvSource({"CONNECTION_REFUSED, UNKNOWN", "CONNECTION_LIMIT_REACHED, UNKNOWN", "DNS_ERROR, UNKNOWN",
            "CONNECTION_TIMEOUT, NOT_SENT", "CONNECTION_TERMINATED, NOT_SENT"})
    void aRequestThatNeverLeftIsRetriedOnAnUntriedUpstreamWithoutABudgetToken(ErrorType type, RequestDelivery delivery) {
        Retrier retrier = retrierWithOneRetryLeft();
        UpstreamFailure neverLeft = failure(type, Phase.CONNECT);

        for (int i = 0; i < 20; i++) {
            RetryDecision d = now(retrier.afterFailure(towardUntried(1, delivery), neverLeft, "up-2"));
            assertThat(d.retry()).as("transparent retry %d", i + 1).isTrue();
            assertThat(d.reason()).isEqualTo(RetryDecision.TRANSPARENT);
        }

        assertThat(listener.events).hasSize(20).allSatisfy(e -> {
            assertThat(e.outcome()).isEqualTo(Outcome.SCHEDULED);
            assertThat(e.reason()).isEqualTo("transparent");
        });
        UpstreamFailure reset = failure(ErrorType.CONNECTION_TERMINATED, Phase.AWAIT_RESPONSE);
        assertThat(now(retrier.afterFailure(get(1), reset, "up-1")).reason())
                .as("the one token is still there: no transparent retry took it").isEqualTo(RetryDecision.FAILURE);
        assertThat(now(retrier.afterFailure(get(1), reset, "up-1")))
                .isEqualTo(RetryDecision.noRetry(RetryDecision.BUDGET_EXHAUSTED));
    }

    @Test
    void aNeverLeftRetryThatRepeatsATriedUpstreamIsChargedAsAnyOther() {
        Retrier retrier = retrierWithOneRetryLeft();
        UpstreamFailure refused = failure(ErrorType.CONNECTION_REFUSED, Phase.CONNECT);
        AttemptContext everyUpstreamTried = new AttemptContext("GET", true, false, 1, clock.getAsLong(),
                RequestDelivery.NOT_SENT, 0, false);

        assertThat(now(retrier.afterFailure(everyUpstreamTried, refused, "up-1")))
                .isEqualTo(RetryDecision.retryAfter(Duration.ofNanos(12_500_000), RetryDecision.FAILURE));
        assertThat(now(retrier.afterFailure(everyUpstreamTried, refused, "up-1")))
                .isEqualTo(RetryDecision.noRetry(RetryDecision.BUDGET_EXHAUSTED));
        assertThat(listener.events).extracting(RetryEvent::outcome)
                .containsExactly(Outcome.SCHEDULED, Outcome.DENIED_BY_BUDGET);
    }

    @Test
    void aRequestThatMayHaveBeenReceivedIsChargedEvenWithAnUntriedUpstream() {
        Retrier retrier = retrierWithOneRetryLeft();
        UpstreamFailure reset = failure(ErrorType.CONNECTION_TERMINATED, Phase.AWAIT_RESPONSE);

        assertThat(now(retrier.afterFailure(towardUntried(1, RequestDelivery.MAY_HAVE_BEEN_SENT), reset, "up-1")).reason())
                .as("a reset after sending takes the one token").isEqualTo(RetryDecision.FAILURE);
        assertThat(now(retrier.afterFailure(towardUntried(1, RequestDelivery.MAY_HAVE_BEEN_SENT), reset, "up-1")))
                .as("and the next one is denied, an untried upstream notwithstanding")
                .isEqualTo(RetryDecision.noRetry(RetryDecision.BUDGET_EXHAUSTED));
        // refused by type, but the packaging saw request bytes go: it may have been received, and is not retried
        UpstreamFailure refusedAfterSending = failure(ErrorType.CONNECTION_REFUSED, Phase.CONNECT);
        assertThat(now(retrier.afterFailure(towardUntried(1, RequestDelivery.MAY_HAVE_BEEN_SENT), refusedAfterSending,
                "up-1")).retry()).isFalse();
    }

    @Test
    void aTransparentRetryIsStillBoundedByAttemptsDeadlineAndBackoffAndTheRoutesConditions() {
        Retrier retrier = retrierWithOneRetryLeft();
        UpstreamFailure refused = failure(ErrorType.CONNECTION_REFUSED, Phase.CONNECT);

        assertThat(now(retrier.afterFailure(towardUntried(2, RequestDelivery.NOT_SENT), refused, null)))
                .as("backed off as configured: full jitter at 0.5 of 25 ms x 2")
                .isEqualTo(RetryDecision.retryAfter(Duration.ofMillis(25), RetryDecision.TRANSPARENT));
        assertThat(now(retrier.afterFailure(towardUntried(3, RequestDelivery.NOT_SENT), refused, null)))
                .isEqualTo(RetryDecision.noRetry(RetryDecision.ATTEMPTS_EXHAUSTED));
        AttemptContext late = new AttemptContext("GET", true, false, 1, clock.getAsLong() - 9_999_000_000L,
                RequestDelivery.NOT_SENT, 0, true);
        assertThat(now(retrier.afterFailure(late, refused, null)))
                .isEqualTo(RetryDecision.noRetry(RetryDecision.DEADLINE_EXCEEDED));
        RetryPolicy noConnectRetries = THREE_ATTEMPTS.withRetryOn(EnumSet.of(RetryCondition.RESET));
        assertThat(now(retrier(noConnectRetries).afterFailure(towardUntried(1, RequestDelivery.NOT_SENT), refused, null)))
                .isEqualTo(RetryDecision.noRetry(RetryDecision.ERROR_NOT_RETRYABLE));
        assertThat(now(retrier.afterFailure(get(1), failure(ErrorType.CONNECTION_TERMINATED, Phase.AWAIT_RESPONSE),
                null)).retry()).as("and none of them took the one token").isTrue();
    }

    // ---- odds and ends --------------------------------------------------------------------------------

    @Test
    void aListenerThatThrowsDoesNotChangeTheDecision() {
        GuardListener throwing = new GuardListener() {
            @Override
            public void onRetry(RetryEvent event) {
                throw new IllegalStateException("broken listener");
            }
        };
        Retrier retrier = retrier(THREE_ATTEMPTS, new RetryBudget("route-a", THREE_ATTEMPTS, backend), throwing);
        RetryDecision d = now(retrier.afterFailure(get(1), failure(ErrorType.DNS_ERROR, Phase.RESOLVE), null));
        assertThat(d.retry()).isTrue();
    }

    @Test
    void methodsAreComparedCaseSensitively() {
        assertThat(Retrier.isIdempotentlyRetryable("GET", RetryPolicy.defaults())).isTrue();
        assertThat(Retrier.isIdempotentlyRetryable("get", RetryPolicy.defaults())).isFalse();
        assertThat(Retrier.isIdempotentlyRetryable("PUT", RetryPolicy.defaults())).isFalse();
        assertThat(Retrier.isIdempotentlyRetryable("PUT", RetryPolicy.defaults().withRetryableMethods(Set.of("put")))).isTrue();
    }

    @Test
    void decisionsAreValues() {
        assertThat(RetryDecision.noRetry("deadline")).isEqualTo(RetryDecision.noRetry("deadline"))
                .hasSameHashCodeAs(RetryDecision.noRetry("deadline"))
                .hasToString("RetryDecision[no retry, deadline]");
        assertThat(RetryDecision.noRetry("deadline").delay()).isZero();
        assertThat(RetryDecision.retryAfter(Duration.ofMillis(5), "failure")).hasToString("RetryDecision[retry after 5 ms, failure]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RetryDecision.retryAfter(Duration.ofMillis(-1), "failure"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AttemptContext("GET", true, false, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attempt");
    }
}
