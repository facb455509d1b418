package dev.upstreamguard.micrometer;

import dev.upstreamguard.core.diagnostics.ProxyStatus;
import dev.upstreamguard.core.events.AdmissionEvent;
import dev.upstreamguard.core.events.BackendFailureEvent;
import dev.upstreamguard.core.events.FailureEvent;
import dev.upstreamguard.core.events.GuardListener;
import dev.upstreamguard.core.events.HealthEvent;
import dev.upstreamguard.core.events.OriginHeaderEvent;
import dev.upstreamguard.core.events.RetryEvent;
import dev.upstreamguard.core.retry.RetryDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.Locale;
import java.util.Objects;

/**
 * Micrometer meters for the guard's events. Register it with
 * {@code UpstreamGuard.builder().addListener(new UpstreamGuardMetrics(registry))}.
 *
 * <p>All names and tags in one place; every tag is low-cardinality (configured ids, enum values, status
 * codes — never paths, addresses or messages):
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #FAILURES}</td><td>counter</td><td>error, status, phase, origin, route, upstream, aborted,
 *       not_retried (one of {@link RetryDecision#NOT_RETRIED_REASONS}, or none)</td></tr>
 *   <tr><td>{@value #ORIGIN_HEADER_VIOLATIONS}</td><td>counter</td><td>kind, action, route</td></tr>
 *   <tr><td>{@value #RETRIES}</td><td>counter</td><td>outcome (scheduled, denied_by_budget, not_retried), reason, route</td></tr>
 *   <tr><td>{@value #HEALTH_CHANGES}</td><td>counter</td><td>kind (ejected, restored), route, upstream</td></tr>
 *   <tr><td>{@value #ADMISSION_REJECTIONS}</td><td>counter</td><td>kind (rate_limited, concurrency_limited,
 *       no_healthy_upstream), status, route</td></tr>
 *   <tr><td>{@value #BACKEND_FAILURES}</td><td>counter</td><td>backend, operation, mode</td></tr>
 *   <tr><td>{@value #PROXY_STATUS_DROPPED}</td><td>function counter (whole JVM)</td><td>none</td></tr>
 * </table>
 * In Prometheus these are {@code upstream_guard_failures_total} and
 * {@code upstream_guard_origin_header_violations_total}. {@code origin=proxy} counts errors the proxy made,
 * {@code origin=upstream} counts upstream 5xx passed through ({@code error=none}); unknown throwables are
 * {@code error=proxy_internal_error}.
 */
public final class UpstreamGuardMetrics implements GuardListener {
    /** Failures answered or aborted, and upstream 5xx passed through. */
    public static final String FAILURES = "upstream.guard.failures";
    /** This application's response heads over the front proxy's budget or with illegal characters. */
    public static final String ORIGIN_HEADER_VIOLATIONS = "upstream.guard.origin.header.violations";

    /** Retries scheduled, denied by the budget, or not made. */
    public static final String RETRIES = "upstream.guard.retries";
    /** Passive health ejections and restorations. */
    public static final String HEALTH_CHANGES = "upstream.guard.upstream.health.changes";
    /** Requests refused before any upstream was tried. */
    public static final String ADMISSION_REJECTIONS = "upstream.guard.admission.rejections";
    /** Decisions a limit backend's failure mode made because the backend failed. */
    public static final String BACKEND_FAILURES = "upstream.guard.limit.backend.failures";
    /** Received {@code Proxy-Status} values dropped as not RFC 8941 Lists ({@link ProxyStatus#droppedMalformedReceived()}). */
    public static final String PROXY_STATUS_DROPPED = "upstream.guard.proxy.status.dropped";

    private final MeterRegistry registry;

    /** Meters registered in {@code registry}; the {@value #PROXY_STATUS_DROPPED} counter at once. */
    public UpstreamGuardMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        FunctionCounter.builder(PROXY_STATUS_DROPPED, ProxyStatus.class, c -> ProxyStatus.droppedMalformedReceived())
                .description("Received Proxy-Status values dropped because they are not RFC 8941 Lists")
                .register(registry);
    }

    @Override
    public void onFailure(FailureEvent e) {
        Counter.builder(FAILURES)
                .description("Upstream failures by RFC 9209 error type, and upstream 5xx passed through")
                .tags(Tags.of(
                        "error", e.errorToken(),
                        "status", Integer.toString(e.status()),
                        "phase", e.failure() == null ? "response" : e.failure().phase().name().toLowerCase(Locale.ROOT),
                        "origin", e.origin().tag(),
                        "route", e.routeId(),
                        "upstream", e.upstreamId() == null ? "none" : e.upstreamId(),
                        "aborted", Boolean.toString(e.aborted()),
                        "not_retried", notRetriedTag(e.notRetried())))
                .register(registry)
                .increment();
    }

    /** One of the documented reasons, else {@code none}: a listener's own token never widens the tag's values. */
    private static String notRetriedTag(String reason) {
        return reason != null && RetryDecision.NOT_RETRIED_REASONS.contains(reason) ? reason : "none";
    }

    @Override
    public void onOriginHeaderViolation(OriginHeaderEvent e) {
        Counter.builder(ORIGIN_HEADER_VIOLATIONS)
                .description("Response heads of this application that a proxy in front would refuse")
                .tags("kind", e.kind().tag(), "action", e.action().name().toLowerCase(Locale.ROOT), "route", e.routeId())
                .register(registry)
                .increment();
    }

    @Override
    public void onRetry(RetryEvent e) {
        Counter.builder(RETRIES).description("Retries scheduled, denied by the retry budget, or not made")
                .tags("outcome", e.outcome().tag(), "reason", e.reason(), "route", e.routeId())
                .register(registry).increment();
    }

    @Override
    public void onHealthChange(HealthEvent e) {
        Counter.builder(HEALTH_CHANGES).description("Upstreams ejected by passive health checking, and restored")
                .tags("kind", e.kind().tag(), "route", e.routeId(), "upstream", e.upstreamId())
                .register(registry).increment();
    }

    @Override
    public void onAdmissionRejected(AdmissionEvent e) {
        Counter.builder(ADMISSION_REJECTIONS).description("Requests refused before any upstream was tried")
                .tags("kind", e.kind().tag(), "status", Integer.toString(e.status()), "route", e.routeId())
                .register(registry).increment();
    }

    @Override
    public void onBackendFailure(BackendFailureEvent e) {
        Counter.builder(BACKEND_FAILURES).description("Limit decisions made by the failure mode because the backend failed")
                .tags("backend", e.backend(), "operation", e.operation(), "mode", e.mode().name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }
}
