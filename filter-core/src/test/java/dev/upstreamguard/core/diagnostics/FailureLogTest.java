package dev.upstreamguard.core.diagnostics;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.upstreamguard.core.BackendFailureEvent;
import dev.upstreamguard.core.CircuitEvent;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.Origin;
import dev.upstreamguard.core.OriginGuardAction;
import dev.upstreamguard.core.OriginHeaderEvent;
import dev.upstreamguard.core.PanicEvent;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.RetryEvent;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.lifecycle.ClientRequest;
import dev.upstreamguard.core.lifecycle.GuardedExchange;
import dev.upstreamguard.core.lifecycle.RouteGuard;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.lifecycle.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.event.KeyValuePair;

import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** A real SLF4J backend (logback, its own context) captures the events: the line an operator reads and its key-values. */
class FailureLogTest {
    private final LoggerContext context = new LoggerContext();
    private final ch.qos.logback.classic.Logger logger = context.getLogger(FailureLog.LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final FailureLog log;

    FailureLogTest() {
        appender.setContext(context);
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        log = new FailureLog(logger);
    }

    @Test
    void onePhraseLineWithEverythingAnOperatorNeeds() {
        IOException cause = new IOException("wrapped", new EOFException("EOF reached while reading"));
        UpstreamFailure f = UpstreamFailure.of(ErrorType.CONNECTION_TERMINATED, Phase.AWAIT_RESPONSE).withCause(cause);
        log.onFailure(new FailureEvent("orders", "orders-2", f, 502, Origin.PROXY, false, 2, 3, 12_400_000, "abc"));

        ILoggingEvent event = only(Level.WARN);
        assertThat(event.getFormattedMessage())
                .startsWith("upstream prematurely closed connection while reading response header from upstream: ")
                .contains("error=connection_terminated", "status=502", "origin=proxy", "phase=await_response",
                        "route=orders", "upstream=orders-2", "attempt=2/3", "elapsed_ms=12", "request_id=abc",
                        "cause=java.io.IOException: wrapped", "root_cause=java.io.EOFException: EOF reached while reading")
                .doesNotContain("\n");
        assertThat(event.getThrowableProxy()).as("the stack trace only at DEBUG").isNull();
    }

    @Test
    void theFailureLineCarriesItsFieldsAsKeyValues() {
        UpstreamFailure f = UpstreamFailure.of(ErrorType.CONNECTION_TERMINATED, Phase.AWAIT_RESPONSE);
        log.onFailure(new FailureEvent("orders", "orders-2", f, 502, Origin.PROXY, false, 2, 2, 0, "7f3a",
                "attempts_exhausted"));

        ILoggingEvent event = only(Level.WARN);
        assertThat(keyValues(event)).containsExactly(entry("error_type", "connection_terminated"),
                entry("route", "orders"), entry("upstream", "orders-2"), entry("attempt", 2),
                entry("phase", "await_response"), entry("request_id", "7f3a"), entry("not_retried", "attempts_exhausted"));
        assertThat(event.getFormattedMessage()).contains("not_retried=attempts_exhausted", "request_id=7f3a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "4bf92f3577b34da6a3ce929d0e0e4736"})
    void theRequestIdOfTheProblemBodyIsTheOneLogged(String traceId) {
        UpstreamGuard guard = UpstreamGuard.builder().logFailures(false).addListener(log)
                .requestIdSource(() -> traceId.isEmpty() ? null : traceId).build();
        RouteGuard route = RouteGuard.builder("orders", guard).upstreams(List.of(URI.create("http://127.0.0.1:1"))).build();
        GuardedExchange exchange = route.exchange(ClientRequest.of("GET", "203.0.113.9", new ClientRequest.Headers() {
            @Override
            public String first(String name) {
                return name.equalsIgnoreCase("X-Request-Id") ? "client-id-1" : null;
            }

            @Override
            public List<String> all(String name) {
                String v = first(name);
                return v == null ? List.of() : List.of(v);
            }
        }));
        exchange.admit();
        exchange.nextAttempt();
        exchange.requestSending();
        Verdict answer = exchange.onFailure(UpstreamFailure.of(ErrorType.CONNECTION_TERMINATED, Phase.AWAIT_RESPONSE))
                .toCompletableFuture().join();

        String body = ((Verdict.Answer) answer).response().bodyText();
        Matcher inBody = Pattern.compile("\"request_id\":\"([^\"]+)\"").matcher(body);
        assertThat(inBody.find()).as(body).isTrue();
        assertThat(inBody.group(1)).isEqualTo(traceId.isEmpty() ? "client-id-1" : traceId);
        ILoggingEvent event = only(Level.WARN);
        assertThat(keyValues(event)).containsEntry("request_id", inBody.group(1));
        assertThat(event.getFormattedMessage()).contains("request_id=" + inBody.group(1));
    }

    @Test
    void abortedResponsesSaySo() {
        UpstreamFailure f = UpstreamFailure.of(ErrorType.HTTP_RESPONSE_INCOMPLETE, Phase.READ_BODY);
        log.onFailure(new FailureEvent("r", null, f, 200, Origin.PROXY, true, 1, 1, 0, null));
        ILoggingEvent event = only(Level.WARN);
        assertThat(event.getFormattedMessage()).contains("while reading upstream, client response aborted after commit")
                .doesNotContain("upstream=").doesNotContain("request_id=");
        assertThat(keyValues(event)).doesNotContainKeys("upstream", "request_id", "not_retried")
                .containsEntry("error_type", "http_response_incomplete");
    }

    @Test
    void internalErrorsLogAtErrorWithTheStackTrace() {
        IllegalStateException bug = new IllegalStateException("boom");
        UpstreamFailure f = UpstreamFailure.of(ErrorType.PROXY_INTERNAL_ERROR, Phase.UNKNOWN).withCause(bug);
        log.onFailure(new FailureEvent("r", null, f, 500, Origin.PROXY, false, 1, 1, 0, "x"));
        ILoggingEvent event = only(Level.ERROR);
        assertThat(event.getFormattedMessage()).contains("error=proxy_internal_error");
        assertThat(event.getThrowableProxy().getMessage()).isEqualTo("boom");
        assertThat(keyValues(event)).containsEntry("error_type", "proxy_internal_error").containsEntry("request_id", "x");
    }

    @Test
    void passedThroughUpstream5xxIsInfo() {
        log.onFailure(new FailureEvent("r", "u", null, 503, Origin.UPSTREAM, false, 1, 1, 0, "x"));
        ILoggingEvent event = only(Level.INFO);
        assertThat(event.getFormattedMessage())
                .startsWith("upstream answered 503, passed through: error=none status=503 origin=upstream");
        assertThat(keyValues(event)).containsEntry("error_type", "none").containsEntry("upstream", "u")
                .doesNotContainKey("phase");
    }

    @Test
    void originViolationsExplainTheFrontProxyConsequence() {
        log.onOriginHeaderViolation(new OriginHeaderEvent("app", OriginHeaderEvent.Kind.SECTION_OVER_BUDGET, null,
                9000, 4096, OriginGuardAction.WARN));
        assertThat(only(Level.WARN).getFormattedMessage())
                .contains("9000 bytes", "4096 bytes", "upstream sent too big header", "action=warn");
    }

    @Test
    void retriesEjectionsAndBackendFailuresAreOneLineEach() {
        log.onRetry(new RetryEvent("orders", "o-1", 1, 3, RetryEvent.Outcome.SCHEDULED, "failure", 17,
                UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT), 0));
        log.onRetry(new RetryEvent("orders", null, 2, 3, RetryEvent.Outcome.DENIED_BY_BUDGET, "budget_exhausted", 0, null, 503));
        log.onHealthChange(new HealthEvent("orders", "o-1", HealthEvent.Kind.EJECTED, 5, 30_000, 2));
        // every fail-mode decision: DEBUG only, since the fail-safe backend WARNs at most once per interval
        log.onBackendFailure(new BackendFailureEvent("redis", "try_consume", dev.upstreamguard.core.BackendFailureMode.DENY,
                new java.util.concurrent.TimeoutException("no answer in 50 ms")));
        logger.setLevel(Level.DEBUG);
        log.onBackendFailure(new BackendFailureEvent("redis", "try_consume", dev.upstreamguard.core.BackendFailureMode.DENY,
                new java.util.concurrent.TimeoutException("no answer in 50 ms")));

        assertThat(appender.list).extracting(e -> e.getLevel() + " " + e.getFormattedMessage()).containsExactly(
                "INFO retrying connection_refused: attempt=2/3 after_ms=17 route=orders upstream=o-1",
                "WARN retry budget exhausted, not retrying status 503: attempt=2/3 route=orders denied_since_last_warning=0",
                "WARN upstream ejected after 5 consecutive failures: route=orders upstream=o-1 ejected_for_ms=30000 ejections=2",
                "DEBUG limit backend 'redis' failed during try_consume, answering deny: cause=java.util.concurrent.TimeoutException: no answer in 50 ms");
    }

    @Test
    void anEmptyRetryBudgetIsOneWarnPerRouteAndIntervalNotOnePerRequest() {
        long[] now = {0};
        FailureLog throttled = new FailureLog(logger, () -> now[0]);
        for (int i = 0; i < 1000; i++) { // 1000 denials in 9.99 s on one route, one on another
            throttled.onRetry(new RetryEvent("orders", "o-1", 1, 2, RetryEvent.Outcome.DENIED_BY_BUDGET,
                    "budget_exhausted", 0, UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT), 0));
            now[0] += 9_990_000;
        }
        throttled.onRetry(new RetryEvent("billing", null, 1, 2, RetryEvent.Outcome.DENIED_BY_BUDGET,
                "budget_exhausted", 0, null, 503));
        now[0] = 10_000_000_000L;
        throttled.onRetry(new RetryEvent("orders", "o-1", 1, 2, RetryEvent.Outcome.DENIED_BY_BUDGET,
                "budget_exhausted", 0, UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT), 0));

        assertThat(appender.list).extracting(e -> e.getLevel() + " " + e.getFormattedMessage()).containsExactly(
                "WARN retry budget exhausted, not retrying connection_refused: attempt=1/2 route=orders upstream=o-1"
                        + " denied_since_last_warning=0",
                "WARN retry budget exhausted, not retrying status 503: attempt=1/2 route=billing denied_since_last_warning=0",
                "WARN retry budget exhausted, not retrying connection_refused: attempt=1/2 route=orders upstream=o-1"
                        + " denied_since_last_warning=999");
    }

    @Test
    void refusalsByOurOwnLimitsAreDebugOnly() {
        UpstreamFailure limited = UpstreamFailure.of(ErrorType.HTTP_REQUEST_ERROR, Phase.ADMISSION).withParameter("status-code", 429);
        log.onFailure(new FailureEvent("r", null, limited, 429, Origin.PROXY, false, 1, 1, 0, "x"));
        assertThat(appender.list).isEmpty();
        logger.setLevel(Level.DEBUG);
        log.onFailure(new FailureEvent("r", null, limited, 429, Origin.PROXY, false, 1, 1, 0, "x", "error_not_retryable"));
        assertThat(keyValues(only(Level.DEBUG))).containsEntry("not_retried", "error_not_retryable");
    }

    private ILoggingEvent only(Level level) {
        assertThat(appender.list).hasSize(1);
        ILoggingEvent event = appender.list.get(0);
        assertThat(event.getLevel()).isEqualTo(level);
        return event;
    }

    private static Map<String, Object> keyValues(ILoggingEvent event) {
        Map<String, Object> values = new LinkedHashMap<>();
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            pairs.forEach(kv -> values.put(kv.key, kv.value));
        }
        return values;
    }

    @Test
    void eachCircuitTransitionIsOneLine() {
        log.onCircuitChange(new CircuitEvent("orders", CircuitEvent.Kind.OPENED, 5, 30_000));
        log.onCircuitChange(new CircuitEvent("orders", CircuitEvent.Kind.HALF_OPEN, 0, 0));
        log.onCircuitChange(new CircuitEvent("orders", CircuitEvent.Kind.CLOSED, 0, 0));

        assertThat(appender.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage))
                .containsExactly("circuit opened after 5 failed requests in a row, answering 503 without trying an"
                        + " upstream: route=orders open_for_ms=30000");
        assertThat(appender.list.stream().filter(e -> e.getLevel() == Level.INFO).map(ILoggingEvent::getFormattedMessage))
                .containsExactly("circuit half-open, letting probe requests through: route=orders",
                        "circuit closed, a probe request succeeded: route=orders");
    }

    @Test
    void enteringAndLeavingPanicAreWarnings() {
        log.onPanicChange(new PanicEvent("orders", PanicEvent.Kind.ENTERED, 1, 4));
        log.onPanicChange(new PanicEvent("orders", PanicEvent.Kind.LEFT, 4, 4));

        assertThat(appender.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage))
                .containsExactly("route in panic, every upstream takes traffic again: route=orders in_rotation=1/4",
                        "route out of panic, ejections apply again: route=orders in_rotation=4/4");
    }
}
