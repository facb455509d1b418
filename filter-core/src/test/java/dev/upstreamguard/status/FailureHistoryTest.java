package dev.upstreamguard.status;

import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.BackendFailureEvent;
import dev.upstreamguard.core.BackendFailureMode;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.Origin;
import dev.upstreamguard.core.OriginGuardAction;
import dev.upstreamguard.core.OriginHeaderEvent;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.RetryEvent;
import dev.upstreamguard.core.UpstreamFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.upstreamguard.status.Events.proxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class FailureHistoryTest {
    private static final Instant TEN_O_CLOCK = Instant.parse("2026-11-25T10:00:00Z");

    private final MutableClock clock = new MutableClock(TEN_O_CLOCK);
    private final FailureHistory history = new FailureHistory(clock);

    @Test
    void countsFailuresOfTheCurrentMinuteByErrorTypeInTaxonomyOrder() {
        history.onFailure(proxy(ErrorType.CONNECTION_TIMEOUT));
        history.onFailure(proxy(ErrorType.CONNECTION_REFUSED));
        history.onFailure(proxy(ErrorType.CONNECTION_REFUSED));
        history.onFailure(Events.upstream5xx("orders", 503));

        List<MinuteCounts> minutes = history.minutes();

        assertThat(minutes).hasSize(FailureHistory.DEFAULT_WINDOW_MINUTES);
        MinuteCounts now = minutes.get(minutes.size() - 1);
        assertThat(now.start()).isEqualTo(TEN_O_CLOCK);
        assertThat(now.byError()).containsExactly(Map.entry("connection_refused", 2L), Map.entry("connection_timeout", 1L));
        assertThat(now.upstream5xx()).isEqualTo(1);
        assertThat(now.total()).isEqualTo(4);
        assertThat(minutes.subList(0, minutes.size() - 1)).allSatisfy(m -> assertThat(m.total()).isZero());
    }

    @Test
    void theWindowEndsWithTheCurrentMinuteAndListsEveryMinuteOldestFirst() {
        clock.set(TEN_O_CLOCK.plusSeconds(59).plusMillis(999));
        history.onFailure(proxy(ErrorType.CONNECTION_REFUSED));
        clock.advance(Duration.ofMillis(1));
        history.onFailure(proxy(ErrorType.DNS_ERROR));

        List<MinuteCounts> minutes = history.minutes();

        assertThat(minutes.get(minutes.size() - 1).start()).isEqualTo(TEN_O_CLOCK.plusSeconds(60));
        assertThat(minutes.get(minutes.size() - 1).byError()).containsOnlyKeys("dns_error");
        assertThat(minutes.get(minutes.size() - 2).start()).isEqualTo(TEN_O_CLOCK);
        assertThat(minutes.get(minutes.size() - 2).byError()).containsOnlyKeys("connection_refused");
        for (int i = 1; i < minutes.size(); i++) {
            assertThat(Duration.between(minutes.get(i - 1).start(), minutes.get(i).start())).isEqualTo(Duration.ofMinutes(1));
        }
    }

    @ParameterizedTest(name = "{0} minutes later the 10:00 failure is {1}")
    @CsvSource({"0, visible", "14, visible", "15, gone", "29, gone", "600, gone"})
    void failuresLeaveTheWindowAfterWindowMinutes(int minutesLater, String expected) {
        history.onFailure(proxy(ErrorType.CONNECTION_REFUSED));
        clock.advance(Duration.ofMinutes(minutesLater));

        long total = history.minutes().stream().mapToLong(MinuteCounts::total).sum();

        assertThat(total).isEqualTo(expected.equals("visible") ? 1 : 0);
    }

    @Test
    void aReusedSlotStartsFromZero() {
        history.onFailure(proxy(ErrorType.CONNECTION_REFUSED));
        history.onFailure(proxy(ErrorType.CONNECTION_REFUSED));
        clock.advance(Duration.ofMinutes(FailureHistory.DEFAULT_WINDOW_MINUTES)); // same slot of the ring
        history.onFailure(proxy(ErrorType.CONNECTION_TIMEOUT));

        MinuteCounts now = history.minutes().get(FailureHistory.DEFAULT_WINDOW_MINUTES - 1);

        assertThat(now.byError()).containsExactly(Map.entry("connection_timeout", 1L));
    }

    @Test
    void aFailureFromBeforeTheSlotsMinuteIsDroppedWhenTheClockGoesBackAWholeWindow() {
        clock.advance(Duration.ofMinutes(FailureHistory.DEFAULT_WINDOW_MINUTES));
        history.onFailure(proxy(ErrorType.CONNECTION_TIMEOUT));
        clock.set(TEN_O_CLOCK);
        history.onFailure(proxy(ErrorType.CONNECTION_REFUSED));

        assertThat(history.minutes().stream().mapToLong(MinuteCounts::total).sum()).isZero();
        clock.advance(Duration.ofMinutes(FailureHistory.DEFAULT_WINDOW_MINUTES));
        assertThat(history.minutes().get(FailureHistory.DEFAULT_WINDOW_MINUTES - 1).byError())
                .containsExactly(Map.entry("connection_timeout", 1L));
    }

    @Test
    void keepsOnlyTheLastFailuresNewestFirst() {
        FailureHistory small = new FailureHistory(clock, 15, 3);
        ErrorType[] types = {ErrorType.DNS_ERROR, ErrorType.CONNECTION_REFUSED, ErrorType.CONNECTION_TIMEOUT,
            ErrorType.CONNECTION_TERMINATED, ErrorType.HTTP_RESPONSE_TIMEOUT};
        for (ErrorType type : types) {
            small.onFailure(proxy(type));
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(small.recentFailures()).extracting(RecentFailure::error)
                .containsExactly("http_response_timeout", "connection_terminated", "connection_timeout");
        assertThat(small.recentFailures()).extracting(RecentFailure::time)
                .containsExactly(TEN_O_CLOCK.plusSeconds(4), TEN_O_CLOCK.plusSeconds(3), TEN_O_CLOCK.plusSeconds(2));
    }

    @Test
    void aRecentFailureCarriesTheOperatorsPhraseAndNoCause() {
        UpstreamFailure failure = UpstreamFailure.of(ErrorType.CONNECTION_TERMINATED, Phase.AWAIT_RESPONSE)
                .withCause(new java.io.EOFException("secret-host.internal:8443 closed"))
                .withDetails("closed by 10.1.2.3");
        history.onFailure(new FailureEvent("orders", "orders-2", failure, 502, Origin.PROXY, false, 2, 3, 5_000_000L, "r1"));

        RecentFailure f = history.recentFailures().get(0);

        assertThat(f).isEqualTo(new RecentFailure(TEN_O_CLOCK, "orders", "orders-2", "connection_terminated", 502,
                "await_response", "proxy", false, 2, 3,
                "upstream prematurely closed connection while reading response header from upstream"));
        assertThat(f.toString()).doesNotContain("secret-host", "10.1.2.3", "EOFException");
    }

    @Test
    void anAbortedResponseSaysSoAndIsCounted() {
        UpstreamFailure failure = UpstreamFailure.of(ErrorType.HTTP_RESPONSE_INCOMPLETE, Phase.READ_BODY);
        history.onFailure(new FailureEvent("orders", "orders-1", failure, 200, Origin.PROXY, true, 1, 1, 0L, "r1"));

        assertThat(history.recentFailures().get(0).logPhrase()).endsWith(", client response aborted after commit");
        assertThat(history.recentFailures().get(0).aborted()).isTrue();
        assertThat(history.counters().abortedResponses()).isEqualTo(1);
        assertThat(history.counters().proxyFailures()).isEqualTo(1);
    }

    @Test
    void anUpstream5xxPassedThroughIsItsOwnSeries() {
        history.onFailure(Events.upstream5xx("orders", 503));

        RecentFailure f = history.recentFailures().get(0);
        assertThat(f.error()).isEqualTo(StatusReport.UPSTREAM_5XX);
        assertThat(f.origin()).isEqualTo("upstream");
        assertThat(f.phase()).isNull();
        assertThat(f.logPhrase()).isEqualTo("upstream answered 503, passed through");
        assertThat(history.counters().upstream5xx()).isEqualTo(1);
        assertThat(history.counters().proxyFailures()).isZero();
    }

    @Test
    void admissionRefusalsAreChartedAndCountedButDoNotPushUpstreamFailuresOutOfTheList() {
        history.onFailure(proxy(ErrorType.CONNECTION_REFUSED));
        for (int i = 0; i < 2 * FailureHistory.DEFAULT_RECENT_CAPACITY; i++) {
            history.onFailure(proxy("orders", null, ErrorType.CONNECTION_LIMIT_REACHED, Phase.ADMISSION));
        }

        assertThat(history.recentFailures()).extracting(RecentFailure::error).containsExactly("connection_refused");
        assertThat(history.minutes().get(FailureHistory.DEFAULT_WINDOW_MINUTES - 1).count("connection_limit_reached"))
                .isEqualTo(2L * FailureHistory.DEFAULT_RECENT_CAPACITY);
    }

    @Test
    void ejectionsRestorationsAndRefusalsAreTheLastEventsWithTheirReasonsNewestFirstAndBounded() {
        history.onHealthChange(new dev.upstreamguard.core.HealthEvent("orders", "orders-2",
                dev.upstreamguard.core.HealthEvent.Kind.EJECTED, 5, 30_000, 2));
        clock.advance(java.time.Duration.ofSeconds(1));
        history.onAdmissionRejected(new dev.upstreamguard.core.AdmissionEvent("orders",
                dev.upstreamguard.core.AdmissionEvent.Kind.RATE_LIMITED, 429, 3));
        history.onHealthChange(new dev.upstreamguard.core.HealthEvent("orders", "10.0.0.7:8080",
                dev.upstreamguard.core.HealthEvent.Kind.RESTORED, 0, 0, 0));

        assertThat(history.recentEvents()).extracting(e -> e.kind() + " " + e.upstreamId() + ": " + e.reason())
                .containsExactly("restored null: back in rotation", "rate_limited null: answered 429 with Retry-After 3 s",
                        "ejected orders-2: 5 consecutive failures, ejected for 30 s (ejection 2 in a row)");
        assertThat(history.recentEvents().get(2).time()).isEqualTo(TEN_O_CLOCK);

        for (int i = 0; i < 3 * FailureHistory.RECENT_EVENTS; i++) {
            history.onAdmissionRejected(new dev.upstreamguard.core.AdmissionEvent("orders",
                    dev.upstreamguard.core.AdmissionEvent.Kind.CONCURRENCY_LIMITED, 503, 1));
        }
        assertThat(history.recentEvents()).hasSize(FailureHistory.RECENT_EVENTS)
                .allSatisfy(e -> assertThat(e.kind()).isEqualTo("concurrency_limited"));
    }

    @Test
    void panicModeIsAnEventWithItsReason() {
        history.onPanicChange(new dev.upstreamguard.core.PanicEvent("orders",
                dev.upstreamguard.core.PanicEvent.Kind.ENTERED, 1, 4));
        history.onPanicChange(new dev.upstreamguard.core.PanicEvent("orders",
                dev.upstreamguard.core.PanicEvent.Kind.LEFT, 3, 4));

        assertThat(history.recentEvents()).extracting(e -> e.kind() + ": " + e.reason()).containsExactly(
                "panic_left: 3 of 4 upstreams in rotation: ejections apply again",
                "panic_entered: 1 of 4 upstreams in rotation: all take traffic");
    }

    @ParameterizedTest(name = "upstream id {0} is kept as {1}")
    @CsvSource(nullValues = "null", value = {
        "orders-1, orders-1",
        "eu_west.2, eu_west.2",
        "127.0.0.1:8080, null",
        "10.0.0.7, null",
        "[::1]:8080, null",
        "::1, null",
        "'orders 1', null",
        "null, null",
    })
    void anUpstreamIdThatIsNotAnIdIsNotKept(String reported, String kept) {
        history.onFailure(proxy("orders", reported, ErrorType.CONNECTION_REFUSED, Phase.CONNECT));

        assertThat(history.recentFailures().get(0).upstreamId()).isEqualTo(kept);
    }

    static Stream<Arguments> counterEvents() {
        return Stream.of(
                counter("retries_scheduled", h -> h.onRetry(retry(RetryEvent.Outcome.SCHEDULED))),
                counter("retries_succeeded", h -> h.onRetry(retry(RetryEvent.Outcome.SUCCEEDED_AFTER_RETRY))),
                counter("retries_denied_by_budget", h -> h.onRetry(retry(RetryEvent.Outcome.DENIED_BY_BUDGET))),
                counter("retries_not_retried", h -> h.onRetry(retry(RetryEvent.Outcome.NOT_RETRIED))),
                counter("ejections", h -> h.onHealthChange(new HealthEvent("orders", "orders-1", HealthEvent.Kind.EJECTED, 5, 30_000, 1))),
                counter("restorations", h -> h.onHealthChange(new HealthEvent("orders", "orders-1", HealthEvent.Kind.RESTORED, 0, 0, 1))),
                counter("rate_limited", h -> h.onAdmissionRejected(new AdmissionEvent("orders", AdmissionEvent.Kind.RATE_LIMITED, 429, 1))),
                counter("concurrency_limited", h -> h.onAdmissionRejected(new AdmissionEvent("orders", AdmissionEvent.Kind.CONCURRENCY_LIMITED, 503, 1))),
                counter("no_healthy_upstream", h -> h.onAdmissionRejected(new AdmissionEvent("orders", AdmissionEvent.Kind.NO_HEALTHY_UPSTREAM, 503, 30))),
                counter("circuit_open", h -> h.onAdmissionRejected(new AdmissionEvent("orders", AdmissionEvent.Kind.CIRCUIT_OPEN, 503, 30))),
                counter("circuit_openings", h -> h.onCircuitChange(new dev.upstreamguard.core.CircuitEvent("orders",
                        dev.upstreamguard.core.CircuitEvent.Kind.OPENED, 5, 30_000))),
                counter("backend_failures_allowed", h -> h.onBackendFailure(new BackendFailureEvent("redis", "try_consume", BackendFailureMode.ALLOW, null))),
                counter("backend_failures_denied", h -> h.onBackendFailure(new BackendFailureEvent("redis", "try_consume", BackendFailureMode.DENY, null))),
                counter("origin_header_violations", h -> h.onOriginHeaderViolation(new OriginHeaderEvent("orders",
                        OriginHeaderEvent.Kind.SECTION_OVER_BUDGET, null, 9000, 8192, OriginGuardAction.WARN))),
                counter("proxy_failures", h -> h.onFailure(proxy(ErrorType.CONNECTION_REFUSED))),
                counter("upstream_5xx", h -> h.onFailure(Events.upstream5xx("orders", 502))));
    }

    private static Arguments counter(String name, Consumer<FailureHistory> event) {
        return Arguments.of(name, event);
    }

    private static RetryEvent retry(RetryEvent.Outcome outcome) {
        return new RetryEvent("orders", "orders-1", 1, 3, outcome, "failure", 0, null, 503);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("counterEvents")
    void eachEventCountsInExactlyItsCounter(String name, Consumer<FailureHistory> event) {
        event.accept(history);
        event.accept(history);

        Map<String, Long> counters = history.counters().asMap();

        assertThat(counters).containsEntry(name, 2L);
        assertThat(counters.entrySet()).filteredOn(e -> !e.getKey().equals(name)).allSatisfy(e -> assertThat(e.getValue()).isZero());
    }

    @Test
    void countersStartWhenTheHistoryIsCreated() {
        clock.advance(Duration.ofHours(1));
        assertThat(history.counters().since()).isEqualTo(TEN_O_CLOCK);
    }

    @ParameterizedTest(name = "window {0} minutes, {1} recent failures: {2}")
    @CsvSource({
        "0, 50, window-minutes must be 1..1440, was 0",
        "1441, 50, window-minutes must be 1..1440, was 1441",
        "15, 0, recent-failures must be 1..10000, was 0",
        "15, 10001, recent-failures must be 1..10000, was 10001",
    })
    void rejectsSizesOutOfRangeNamingThem(int minutes, int recent, String message) {
        assertThatThrownBy(() -> new FailureHistory(clock, minutes, recent))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void concurrentWritersAndReadersNeitherLoseCountsNorBreakTheBounds() throws Exception {
        int writers = 4;
        int perWriter = 5_000;
        FailureHistory shared = new FailureHistory(clock, 15, 20);
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                ErrorType type = w % 2 == 0 ? ErrorType.CONNECTION_REFUSED : ErrorType.CONNECTION_TIMEOUT;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perWriter; i++) {
                        shared.onFailure(proxy(type));
                        shared.onRetry(retry(RetryEvent.Outcome.SCHEDULED));
                    }
                    return null;
                }));
            }
            Future<?> reader = pool.submit(() -> {
                start.await();
                for (int i = 0; i < 500; i++) {
                    List<RecentFailure> recent = shared.recentFailures();
                    assertThat(recent.size()).isLessThanOrEqualTo(20);
                    assertThat(shared.minutes()).hasSize(15);
                }
                return null;
            });
            start.countDown();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (Future<?> f : futures) {
                    f.get();
                }
                reader.get();
            });
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        MinuteCounts now = shared.minutes().get(14);
        assertThat(now.count("connection_refused")).isEqualTo(2L * perWriter);
        assertThat(now.count("connection_timeout")).isEqualTo(2L * perWriter);
        assertThat(shared.recentFailures()).hasSize(20);
        assertThat(shared.counters().proxyFailures()).isEqualTo((long) writers * perWriter);
        assertThat(shared.counters().retriesScheduled()).isEqualTo((long) writers * perWriter);
    }
}
