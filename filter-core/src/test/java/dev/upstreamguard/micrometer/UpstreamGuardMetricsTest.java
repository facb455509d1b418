package dev.upstreamguard.micrometer;

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
import dev.upstreamguard.core.diagnostics.ProxyStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamGuardMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final UpstreamGuardMetrics metrics = new UpstreamGuardMetrics(registry);

    @Test
    void countsProxyMadeFailuresByTypeStatusPhaseAndRoute() {
        UpstreamFailure refused = UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT);
        metrics.onFailure(new FailureEvent("orders", "orders-1", refused, 502, Origin.PROXY, false, 1, 3, 5_000_000, "r1"));
        metrics.onFailure(new FailureEvent("orders", "orders-1", refused, 502, Origin.PROXY, false, 2, 3, 9_000_000, "r1"));

        Counter c = registry.get(UpstreamGuardMetrics.FAILURES)
                .tags("error.type", "connection_refused", "status", "502", "phase", "connect", "origin", "proxy",
                        "route", "orders", "upstream", "orders-1", "aborted", "false")
                .counter();
        assertThat(c.count()).isEqualTo(2.0);
    }

    @Test
    void tagsFailuresWithWhyTheyWereNotRetriedFromTheDocumentedListOnly() {
        UpstreamFailure reset = UpstreamFailure.of(ErrorType.CONNECTION_TERMINATED, Phase.AWAIT_RESPONSE);
        metrics.onFailure(new FailureEvent("orders", "orders-1", reset, 502, Origin.PROXY, false, 1, 2, 0, "r1",
                "method_not_idempotent"));
        metrics.onFailure(new FailureEvent("orders", "orders-1", reset, 502, Origin.PROXY, false, 1, 2, 0, "r2",
                "a listener's own token"));
        metrics.onFailure(new FailureEvent("orders", null, null, 503, Origin.UPSTREAM, false, 1, 1, 0, "r3"));

        assertThat(registry.get(UpstreamGuardMetrics.FAILURES).tags("not_retried", "method_not_idempotent")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get(UpstreamGuardMetrics.FAILURES).tags("not_retried", "none").counters())
                .extracting(c -> c.getId().getTag("origin")).containsExactlyInAnyOrder("proxy", "upstream");
    }

    @Test
    void countsMalformedReceivedProxyStatusValuesDropped() {
        double before = registry.get(UpstreamGuardMetrics.PROXY_STATUS_DROPPED).functionCounter().count();

        ProxyStatus.append("broken;=", "upstream-guard");
        ProxyStatus.append(java.util.List.of("ok", "(unterminated"), "upstream-guard");

        assertThat(registry.get(UpstreamGuardMetrics.PROXY_STATUS_DROPPED).functionCounter().count())
                .isEqualTo(before + 2);
    }

    @Test
    void tellsUpstream5xxFromProxyMadeErrorsAndCountsAborts() {
        metrics.onFailure(new FailureEvent("orders", null, null, 503, Origin.UPSTREAM, false, 1, 1, 0, "r2"));
        metrics.onFailure(new FailureEvent("orders", null,
                UpstreamFailure.of(ErrorType.HTTP_RESPONSE_INCOMPLETE, Phase.READ_BODY), 200, Origin.PROXY, true, 1, 1, 0, "r3"));

        assertThat(registry.get(UpstreamGuardMetrics.FAILURES).tags("origin", "upstream", "error.type", "none", "status", "503")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get(UpstreamGuardMetrics.FAILURES).tags("aborted", "true", "error.type", "http_response_incomplete",
                "upstream", "none").counter().count()).isEqualTo(1.0);
        assertThat(registry.get(UpstreamGuardMetrics.FAILURES).counters()).hasSize(2);
    }

    @Test
    void countsOriginHeaderViolations() {
        metrics.onOriginHeaderViolation(new OriginHeaderEvent("app", OriginHeaderEvent.Kind.SECTION_OVER_BUDGET,
                null, 9000, 4096, OriginGuardAction.WARN));
        assertThat(registry.get(UpstreamGuardMetrics.ORIGIN_HEADER_VIOLATIONS)
                .tags("kind", "section_over_budget", "action", "warn", "route", "app").counter().count()).isEqualTo(1.0);
    }

    @Test
    void countsRetriesHealthChangesAdmissionsAndBackendFailures() {
        metrics.onRetry(new RetryEvent("orders", "o-1", 1, 2, RetryEvent.Outcome.SCHEDULED, "failure", 20,
                UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT), 0));
        metrics.onRetry(new RetryEvent("orders", "o-1", 1, 2, RetryEvent.Outcome.DENIED_BY_BUDGET, "budget_exhausted", 0,
                null, 503));
        metrics.onHealthChange(new HealthEvent("orders", "o-1", HealthEvent.Kind.EJECTED, 5, 30_000, 1));
        metrics.onAdmissionRejected(new AdmissionEvent("orders", AdmissionEvent.Kind.RATE_LIMITED, 429, 2));
        metrics.onBackendFailure(new BackendFailureEvent("redis", "try_consume", BackendFailureMode.ALLOW,
                new java.util.concurrent.TimeoutException()));

        assertThat(registry.get(UpstreamGuardMetrics.RETRIES).tags("outcome", "scheduled", "reason", "failure", "route", "orders")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get(UpstreamGuardMetrics.RETRIES).tags("outcome", "denied_by_budget", "reason", "budget_exhausted")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get(UpstreamGuardMetrics.HEALTH_CHANGES).tags("kind", "ejected", "upstream", "o-1")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get(UpstreamGuardMetrics.ADMISSION_REJECTIONS).tags("kind", "rate_limited", "status", "429")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get(UpstreamGuardMetrics.BACKEND_FAILURES).tags("backend", "redis", "operation", "try_consume",
                "mode", "allow").counter().count()).isEqualTo(1.0);
    }

    @Test
    void countsCircuitTransitionsByTheStateEntered() {
        metrics.onCircuitChange(new dev.upstreamguard.core.CircuitEvent("orders",
                dev.upstreamguard.core.CircuitEvent.Kind.OPENED, 5, 30_000));
        metrics.onCircuitChange(new dev.upstreamguard.core.CircuitEvent("orders",
                dev.upstreamguard.core.CircuitEvent.Kind.HALF_OPEN, 0, 0));
        metrics.onAdmissionRejected(new AdmissionEvent("orders", AdmissionEvent.Kind.CIRCUIT_OPEN, 503, 30));

        assertThat(registry.get(UpstreamGuardMetrics.CIRCUIT_CHANGES).tags("state", "opened", "route", "orders")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get(UpstreamGuardMetrics.CIRCUIT_CHANGES).tags("state", "half_open").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get(UpstreamGuardMetrics.ADMISSION_REJECTIONS).tags("kind", "circuit_open", "status", "503")
                .counter().count()).isEqualTo(1.0);
    }
}
