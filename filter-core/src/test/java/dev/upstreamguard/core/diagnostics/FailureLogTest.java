package dev.upstreamguard.core.diagnostics;

import dev.upstreamguard.core.BackendFailureEvent;
import dev.upstreamguard.core.CircuitEvent;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.Origin;
import dev.upstreamguard.core.OriginGuardAction;
import dev.upstreamguard.core.OriginHeaderEvent;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.RetryEvent;
import dev.upstreamguard.core.UpstreamFailure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.slf4j.Logger;

import java.io.EOFException;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The logger is the seam: we check the one line an operator reads. */
class FailureLogTest {
    private final Logger logger = mock(Logger.class);
    private final FailureLog log = new FailureLog(logger);
    private final ArgumentCaptor<String> line = ArgumentCaptor.forClass(String.class);

    @BeforeEach
    void enableLevels() {
        when(logger.isInfoEnabled()).thenReturn(true);
        when(logger.isWarnEnabled()).thenReturn(true);
        when(logger.isErrorEnabled()).thenReturn(true);
    }

    @Test
    void onePhraseLineWithEverythingAnOperatorNeeds() {
        IOException cause = new IOException("wrapped", new EOFException("EOF reached while reading"));
        UpstreamFailure f = UpstreamFailure.of(ErrorType.CONNECTION_TERMINATED, Phase.AWAIT_RESPONSE).withCause(cause);
        log.onFailure(new FailureEvent("orders", "orders-2", f, 502, Origin.PROXY, false, 2, 3, 12_400_000, "abc"));

        verify(logger).warn(line.capture());
        assertThat(line.getValue())
                .startsWith("upstream prematurely closed connection while reading response header from upstream: ")
                .contains("error=connection_terminated", "status=502", "origin=proxy", "phase=await_response",
                        "route=orders", "upstream=orders-2", "attempt=2/3", "elapsed_ms=12", "request_id=abc",
                        "cause=java.io.IOException: wrapped", "root_cause=java.io.EOFException: EOF reached while reading")
                .doesNotContain("\n");
    }

    @Test
    void abortedResponsesSaySo() {
        UpstreamFailure f = UpstreamFailure.of(ErrorType.HTTP_RESPONSE_INCOMPLETE, Phase.READ_BODY);
        log.onFailure(new FailureEvent("r", null, f, 200, Origin.PROXY, true, 1, 1, 0, null));
        verify(logger).warn(line.capture());
        assertThat(line.getValue()).contains("while reading upstream, client response aborted after commit")
                .doesNotContain("upstream=").doesNotContain("request_id=");
    }

    @Test
    void internalErrorsLogAtErrorWithTheStackTrace() {
        IllegalStateException bug = new IllegalStateException("boom");
        UpstreamFailure f = UpstreamFailure.of(ErrorType.PROXY_INTERNAL_ERROR, Phase.UNKNOWN).withCause(bug);
        log.onFailure(new FailureEvent("r", null, f, 500, Origin.PROXY, false, 1, 1, 0, "x"));
        verify(logger).error(line.capture(), any(Throwable.class));
        assertThat(line.getValue()).contains("error=proxy_internal_error");
    }

    @Test
    void passedThroughUpstream5xxIsInfo() {
        log.onFailure(new FailureEvent("r", "u", null, 503, Origin.UPSTREAM, false, 1, 1, 0, "x"));
        verify(logger).info(line.capture());
        verify(logger, never()).warn(anyString());
        assertThat(line.getValue()).startsWith("upstream answered 503, passed through: error=none status=503 origin=upstream");
    }

    @Test
    void originViolationsExplainTheFrontProxyConsequence() {
        log.onOriginHeaderViolation(new OriginHeaderEvent("app", OriginHeaderEvent.Kind.SECTION_OVER_BUDGET, null,
                9000, 4096, OriginGuardAction.WARN));
        verify(logger).warn(line.capture());
        assertThat(line.getValue()).contains("9000 bytes", "4096 bytes", "upstream sent too big header", "action=warn");
    }

    @Test
    void retriesEjectionsAndBackendFailuresAreOneLineEach() {
        log.onRetry(new RetryEvent("orders", "o-1", 1, 3, RetryEvent.Outcome.SCHEDULED, "failure", 17,
                UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT), 0));
        verify(logger).info(line.capture());
        assertThat(line.getValue()).isEqualTo("retrying connection_refused: attempt=2/3 after_ms=17 route=orders upstream=o-1");

        log.onRetry(new RetryEvent("orders", null, 2, 3, RetryEvent.Outcome.DENIED_BY_BUDGET, "budget_exhausted", 0, null, 503));
        log.onHealthChange(new HealthEvent("orders", "o-1", HealthEvent.Kind.EJECTED, 5, 30_000, 2));
        verify(logger, org.mockito.Mockito.times(2)).warn(line.capture());
        assertThat(line.getAllValues()).contains(
                "retry budget exhausted, not retrying status 503: attempt=2/3 route=orders",
                "upstream ejected after 5 consecutive failures: route=orders upstream=o-1 ejected_for_ms=30000 ejections=2");

        // every fail-mode decision: DEBUG only, since the fail-safe backend WARNs at most once per interval
        when(logger.isDebugEnabled()).thenReturn(true);
        log.onBackendFailure(new BackendFailureEvent("redis", "try_consume", dev.upstreamguard.core.BackendFailureMode.DENY,
                new java.util.concurrent.TimeoutException("no answer in 50 ms")));
        verify(logger, org.mockito.Mockito.times(2)).warn(org.mockito.ArgumentMatchers.anyString());
        verify(logger).debug(line.capture());
        assertThat(line.getValue()).isEqualTo(
                "limit backend 'redis' failed during try_consume, answering deny: cause=java.util.concurrent.TimeoutException: no answer in 50 ms");
    }

    @Test
    void refusalsByOurOwnLimitsAreDebugOnly() {
        UpstreamFailure limited = UpstreamFailure.of(ErrorType.HTTP_REQUEST_ERROR, Phase.ADMISSION).withParameter("status-code", 429);
        log.onFailure(new FailureEvent("r", null, limited, 429, Origin.PROXY, false, 1, 1, 0, "x"));
        verify(logger, never()).warn(anyString());
        verify(logger, never()).warn(anyString(), any(Throwable.class));
    }

    @Test
    void eachCircuitTransitionIsOneLine() {
        when(logger.isInfoEnabled()).thenReturn(true);
        log.onCircuitChange(new CircuitEvent("orders", CircuitEvent.Kind.OPENED, 5, 30_000));
        log.onCircuitChange(new CircuitEvent("orders", CircuitEvent.Kind.HALF_OPEN, 0, 0));
        log.onCircuitChange(new CircuitEvent("orders", CircuitEvent.Kind.CLOSED, 0, 0));

        verify(logger).warn(line.capture());
        assertThat(line.getValue()).isEqualTo("circuit opened after 5 failed requests in a row, answering 503 without"
                + " trying an upstream: route=orders open_for_ms=30000");
        verify(logger, org.mockito.Mockito.times(2)).info(line.capture());
        assertThat(line.getAllValues()).contains("circuit half-open, letting probe requests through: route=orders",
                "circuit closed, a probe request succeeded: route=orders");
    }
}
