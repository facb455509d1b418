package dev.upstreamguard.micrometer;

import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.AttemptEvent;
import dev.upstreamguard.core.BackendFailureEvent;
import dev.upstreamguard.core.BackendFailureMode;
import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.CircuitEvent;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.OriginHeaderEvent;
import dev.upstreamguard.core.PanicEvent;
import dev.upstreamguard.core.RetryEvent;
import dev.upstreamguard.core.Upstream;
import dev.upstreamguard.core.UpstreamHealth;
import dev.upstreamguard.core.admission.RouteAdmission;
import dev.upstreamguard.core.diagnostics.ProxyStatus;
import dev.upstreamguard.core.lifecycle.RouteGuard;
import dev.upstreamguard.core.lifecycle.RouteGuards;
import dev.upstreamguard.core.lifecycle.UpstreamPool;
import dev.upstreamguard.core.retry.RetryDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters for the guard's events, and gauges of each route's state. Register it with
 * {@code UpstreamGuard.builder().addListener(new UpstreamGuardMetrics(registry))} for the counters and
 * timers; {@link #bindRoutes(RouteGuards)} (or {@link #bindRoute(RouteGuard)}) adds the gauges of routes,
 * {@link #bindRoute(String, Object, ToLongFunction, ToIntFunction, RouteAdmission)} those of a route without a route guard
 * (the servlet filter),
 * and {@link #bindLimitBackend(BucketBackend)} the limit backend's state.
 *
 * <p>All names and tags in one place; every tag is low-cardinality (configured route ids, upstream ids,
 * enum values, status codes — never paths, addresses or messages). The project README's "Metrics" section
 * documents each meter with its Prometheus name:
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #FAILURES}</td><td>counter</td><td>error.type, status, phase, origin, route, upstream, aborted,
 *       not_retried (one of {@link RetryDecision#NOT_RETRIED_REASONS}, or none)</td></tr>
 *   <tr><td>{@value #ORIGIN_HEADER_VIOLATIONS}</td><td>counter</td><td>kind, action, route</td></tr>
 *   <tr><td>{@value #RETRIES}</td><td>counter</td><td>outcome (scheduled, denied_by_budget, not_retried), reason, route</td></tr>
 *   <tr><td>{@value #HEALTH_CHANGES}</td><td>counter</td><td>kind (ejected, restored), route, upstream</td></tr>
 *   <tr><td>{@value #CIRCUIT_CHANGES}</td><td>counter</td><td>state (opened, half_open, closed), route</td></tr>
 *   <tr><td>{@value #ADMISSION_REJECTIONS}</td><td>counter</td><td>kind (rate_limited, concurrency_limited,
 *       no_healthy_upstream, circuit_open), status, route</td></tr>
 *   <tr><td>{@value #BACKEND_FAILURES}</td><td>counter</td><td>backend, operation, mode</td></tr>
 *   <tr><td>{@value #PROXY_STATUS_DROPPED}</td><td>function counter (whole JVM)</td><td>none</td></tr>
 *   <tr><td>{@value #RETRY_BACKOFF}</td><td>timer</td><td>route</td></tr>
 *   <tr><td>{@value #ATTEMPT_DURATION}</td><td>timer</td><td>outcome (response, failure), error.type, route, upstream</td></tr>
 *   <tr><td>{@value #REQUESTS}</td><td>function counter</td><td>route</td></tr>
 *   <tr><td>{@value #IN_FLIGHT}</td><td>gauge</td><td>route</td></tr>
 *   <tr><td>{@value #PERMITS_IN_USE}</td><td>gauge</td><td>route</td></tr>
 *   <tr><td>{@value #CONCURRENCY_LIMIT}</td><td>gauge</td><td>route</td></tr>
 *   <tr><td>{@value #RETRY_BUDGET_REMAINING}</td><td>gauge</td><td>route</td></tr>
 *   <tr><td>{@value #UPSTREAMS}</td><td>gauge</td><td>route</td></tr>
 *   <tr><td>{@value #UPSTREAMS_EJECTED}</td><td>gauge</td><td>route</td></tr>
 *   <tr><td>{@value #UPSTREAM_EJECTED}</td><td>gauge (0 or 1)</td><td>route, upstream</td></tr>
 *   <tr><td>{@value #BACKEND_UP}</td><td>gauge (1 or 0)</td><td>backend, mode (allow, deny, none)</td></tr>
 * </table>
 * In Prometheus these are {@code upstream_guard_failures_total} and
 * {@code upstream_guard_origin_header_violations_total}. The RFC 9209 error type is the tag
 * {@value #ERROR_TYPE_TAG} (OpenTelemetry's {@code error.type}), which Prometheus renders {@code error_type}.
 * {@code origin=proxy} counts errors the proxy made, {@code origin=upstream} counts upstream 5xx passed through
 * ({@code error_type=none}); unknown throwables are {@code error_type=proxy_internal_error}.
 *
 * <p><b>Gauges and removed routes.</b> Gauges hold their route's state through weak references only, and the
 * gauges of a route are removed from the registry when {@link RouteGuards} releases its guard (a refresh that
 * drops or changes the route), so a removed route's state is never kept alive nor reported.
 *
 * <p><b>Why an upstream was ejected.</b> {@value #UPSTREAM_EJECTED} says which upstreams are out now; the
 * reason is in {@value #FAILURES}, whose {@value #ERROR_TYPE_TAG} tag is kept per {@code route} and {@code upstream}: the
 * error types that upstream failed with just before its {@code ejected} change. No gauge carries the reason as
 * a tag, because a tag value that changes leaves a stale series behind for every reason ever seen.
 */
public final class UpstreamGuardMetrics implements GuardListener {
    /** Failures answered or aborted, and upstream 5xx passed through. */
    public static final String FAILURES = "upstream.guard.failures";
    /**
     * The tag holding the RFC 9209 error type token on {@value #FAILURES} and {@value #ATTEMPT_DURATION}
     * ({@code none} when there is none); Prometheus renders it {@code error_type}.
     */
    public static final String ERROR_TYPE_TAG = "error.type";
    /** This application's response heads over the front proxy's budget or with illegal characters. */
    public static final String ORIGIN_HEADER_VIOLATIONS = "upstream.guard.origin.header.violations";

    /** Retries scheduled, denied by the budget, or not made. */
    public static final String RETRIES = "upstream.guard.retries";
    /** Passive health ejections and restorations. */
    public static final String HEALTH_CHANGES = "upstream.guard.upstream.health.changes";
    /** Transitions of a route's opt-in circuit breaker, by the state entered. */
    public static final String CIRCUIT_CHANGES = "upstream.guard.circuit.changes";
    /** Counter: routes entering or leaving panic mode; tags {@code state} (entered, left), {@code route}. */
    public static final String PANIC_CHANGES = "upstream.guard.panic.changes";
    /** Requests refused before any upstream was tried. */
    public static final String ADMISSION_REJECTIONS = "upstream.guard.admission.rejections";
    /** Decisions a limit backend's failure mode made because the backend failed. */
    public static final String BACKEND_FAILURES = "upstream.guard.limit.backend.failures";
    /** Received {@code Proxy-Status} values dropped as not RFC 8941 Lists ({@link ProxyStatus#droppedMalformedReceived()}). */
    public static final String PROXY_STATUS_DROPPED = "upstream.guard.proxy.status.dropped";

    /** The backoff each scheduled retry waits before its next attempt. */
    public static final String RETRY_BACKOFF = "upstream.guard.retry.backoff";
    /** How long attempts on upstreams took, to their accepted response head or their failure. */
    public static final String ATTEMPT_DURATION = "upstream.guard.attempt.duration";
    /** Requests admitted on a route. */
    public static final String REQUESTS = "upstream.guard.requests";
    /** Requests admitted on a route and not completed yet. */
    public static final String IN_FLIGHT = "upstream.guard.requests.in.flight";
    /** Concurrency slots held on a route with a concurrency limit. */
    public static final String PERMITS_IN_USE = "upstream.guard.concurrency.permits.in.use";
    /** The concurrency limit of a route that has one. */
    public static final String CONCURRENCY_LIMIT = "upstream.guard.concurrency.limit";
    /** Retries left in a route's retry budget, as of its last retry decision. */
    public static final String RETRY_BUDGET_REMAINING = "upstream.guard.retry.budget.remaining";
    /** The upstreams of a route with passive health. */
    public static final String UPSTREAMS = "upstream.guard.upstreams";
    /** The upstreams of a route ejected by passive health now. */
    public static final String UPSTREAMS_EJECTED = "upstream.guard.upstreams.ejected";
    /** 1 while the upstream is ejected by passive health, else 0. */
    public static final String UPSTREAM_EJECTED = "upstream.guard.upstream.ejected";
    /** 1 while the limit backend answers, 0 while it fails and its failure mode answers. */
    public static final String BACKEND_UP = "upstream.guard.limit.backend.up";

    private final MeterRegistry registry;
    /** The gauges of each bound route, by route id, with the route state they read. */
    private final Map<String, Bound> routes = new ConcurrentHashMap<>();
    /** The gauges of each bound pool of its own (a gateway's load-balanced service), by the pool's id. */
    private final Map<String, Bound> pools = new ConcurrentHashMap<>();
    private final RouteGuards.Listener routeListener = new RouteGuards.Listener() {
        @Override
        public void added(RouteGuard guard) {
            bindRoute(guard);
        }

        @Override
        public void removed(RouteGuard guard) {
            unbindRoute(guard);
        }
    };

    private record Bound(WeakReference<Object> state, List<Meter> meters) {
    }

    /** Meters registered in {@code registry}; the {@value #PROXY_STATUS_DROPPED} counter at once. */
    public UpstreamGuardMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        FunctionCounter.builder(PROXY_STATUS_DROPPED, ProxyStatus.class, c -> ProxyStatus.droppedMalformedReceived())
                .description("Received Proxy-Status values dropped because they are not RFC 8941 Lists")
                .register(registry);
    }

    /**
     * Keeps the gauges of every route of {@code guards}: those built already at once, later ones when they are
     * built; a route's gauges are removed when its guard is released.
     */
    public void bindRoutes(RouteGuards guards) {
        guards.addListener(routeListener);
    }

    /**
     * Gauges of one route: requests in flight, retry budget, concurrency permits (with a concurrency limit),
     * passive health (with upstreams of its own), and its guard's limit backend. Replaces the gauges of an
     * earlier guard of the same route id.
     */
    public void bindRoute(RouteGuard guard) {
        String routeId = guard.routeId();
        replace(routeId, guard, () -> {
            Tags route = Tags.of("route", routeId);
            List<Meter> meters = new ArrayList<>();
            meters.add(FunctionCounter.builder(REQUESTS, guard, RouteGuard::admitted)
                    .description("Requests admitted").tags(route).register(registry));
            meters.add(Gauge.builder(IN_FLIGHT, guard, RouteGuard::inFlight)
                    .description("Requests admitted and not completed yet").tags(route).register(registry));
            if (guard.concurrencyLimit() > 0) {
                meters.add(Gauge.builder(PERMITS_IN_USE, guard, RouteGuard::permitsInUse)
                        .description("Concurrency slots held").tags(route).register(registry));
                meters.add(Gauge.builder(CONCURRENCY_LIMIT, guard, RouteGuard::concurrencyLimit)
                        .description("The route's concurrency limit").tags(route).register(registry));
            }
            if (guard.policy().retry().enabled()) {
                meters.add(Gauge.builder(RETRY_BUDGET_REMAINING, guard, RouteGuard::retriesLeft)
                        .description("Retries left in the retry budget as of its last retry decision")
                        .tags(route).register(registry));
            }
            UpstreamPool pool = guard.pool();
            if (pool != null) {
                meters.addAll(poolGauges(pool, route));
            }
            return meters;
        });
        bindLimitBackend(guard.guard().bucketBackend());
    }

    /**
     * Meters of a route that has no route guard (the servlet filter): its requests admitted and in flight
     * and, with a concurrency limit, its permits. Replaces earlier meters of {@code routeId}.
     *
     * @param owner     what counts the requests; held weakly
     * @param admitted  reads the requests admitted so far from {@code owner} (must not capture {@code owner})
     * @param inFlight  reads the requests in flight from {@code owner} (must not capture {@code owner})
     * @param admission the route's admission, or {@code null} when it limits nothing; held weakly
     */
    public <T> void bindRoute(String routeId, T owner, ToLongFunction<T> admitted, ToIntFunction<T> inFlight,
                              RouteAdmission admission) {
        replace(routeId, owner, () -> {
            Tags route = Tags.of("route", routeId);
            List<Meter> meters = new ArrayList<>();
            meters.add(FunctionCounter.builder(REQUESTS, owner, o -> admitted.applyAsLong(o))
                    .description("Requests admitted").tags(route).register(registry));
            meters.add(Gauge.builder(IN_FLIGHT, owner, o -> inFlight.applyAsInt(o))
                    .description("Requests admitted and not completed yet").tags(route).register(registry));
            if (admission != null && admission.concurrencyLimit() > 0) {
                meters.add(Gauge.builder(PERMITS_IN_USE, admission, RouteAdmission::permitsInUse)
                        .description("Concurrency slots held").tags(route).register(registry));
                meters.add(Gauge.builder(CONCURRENCY_LIMIT, admission, RouteAdmission::concurrencyLimit)
                        .description("The route's concurrency limit").tags(route).register(registry));
            }
            return meters;
        });
    }

    /**
     * Passive-health gauges of a pool that belongs to no route guard (a gateway's load-balanced service, whose
     * pool id is the service id, as in its health events), tagged {@code route} with the pool's id. Replaces
     * the gauges of an earlier pool with the same id (the service's previous listing of instances).
     */
    public void bindPool(UpstreamPool pool) {
        replace(pools, pool.routeId(), pool, () -> poolGauges(pool, Tags.of("route", pool.routeId())));
    }

    private List<Meter> poolGauges(UpstreamPool pool, Tags route) {
        List<Meter> meters = new ArrayList<>();
        meters.add(Gauge.builder(UPSTREAMS, pool, p -> p.upstreams().size())
                .description("Upstreams of the route").tags(route).register(registry));
        meters.add(Gauge.builder(UPSTREAMS_EJECTED, pool, UpstreamGuardMetrics::ejectedCount)
                .description("Upstreams ejected by passive health now").tags(route).register(registry));
        for (Upstream upstream : pool.upstreams()) {
            String upstreamId = upstream.id();
            meters.add(Gauge.builder(UPSTREAM_EJECTED, pool, p -> ejected(p, upstreamId))
                    .description("1 while the upstream is ejected by passive health")
                    .tags(route.and("upstream", upstreamId)).register(registry));
        }
        return meters;
    }

    /** Removes the gauges of {@code guard}'s route, unless another guard of that route was bound since. */
    public void unbindRoute(RouteGuard guard) {
        routes.computeIfPresent(guard.routeId(), (id, bound) -> {
            Object state = bound.state().get();
            if (state != null && state != guard) {
                return bound;
            }
            bound.meters().forEach(registry::remove);
            return null;
        });
    }

    /**
     * {@value #BACKEND_UP} of {@code backend}: 1 while it answers, 0 while it fails and its failure mode
     * answers, tagged with the backend's name and the mode ({@code none} for a backend without one, such as
     * the in-memory one, which never fails). Binding the same backend again changes nothing.
     */
    public void bindLimitBackend(BucketBackend backend) {
        BackendFailureMode mode = backend.failureMode();
        Gauge.builder(BACKEND_UP, backend, b -> b.failing() ? 0 : 1)
                .description("1 while the limit backend answers, 0 while its failure mode answers for it")
                .tags("backend", backend.name(), "mode", mode == null ? "none" : mode.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    /** The route's gauges from {@code register}, after removing those bound before (same ids would return them). */
    private void replace(String routeId, Object state, Supplier<List<Meter>> register) {
        replace(routes, routeId, state, register);
    }

    private void replace(Map<String, Bound> bound, String id, Object state, Supplier<List<Meter>> register) {
        bound.compute(id, (key, old) -> {
            if (old != null) {
                old.meters().forEach(registry::remove);
            }
            return new Bound(new WeakReference<>(state), List.copyOf(register.get()));
        });
    }

    private static double ejectedCount(UpstreamPool pool) {
        int ejected = 0;
        for (UpstreamHealth health : pool.health()) {
            if (health.ejected()) {
                ejected++;
            }
        }
        return ejected;
    }

    private static double ejected(UpstreamPool pool, String upstreamId) {
        for (UpstreamHealth health : pool.health()) {
            if (health.upstream().id().equals(upstreamId)) {
                return health.ejected() ? 1 : 0;
            }
        }
        return Double.NaN;
    }

    @Override
    public void onFailure(FailureEvent e) {
        Counter.builder(FAILURES)
                .description("Upstream failures by RFC 9209 error type, and upstream 5xx passed through")
                .tags(Tags.of(
                        ERROR_TYPE_TAG, e.errorToken(),
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
        if (e.outcome() == RetryEvent.Outcome.SCHEDULED) {
            Timer.builder(RETRY_BACKOFF).description("The backoff each scheduled retry waits before its next attempt")
                    .tags("route", e.routeId())
                    .register(registry).record(e.delayMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void onAttempt(AttemptEvent e) {
        Timer.builder(ATTEMPT_DURATION)
                .description("Attempts on upstreams, to their accepted response head or their failure")
                .tags("outcome", e.outcome(), ERROR_TYPE_TAG, e.errorToken(), "route", e.routeId(),
                        "upstream", e.upstreamId() == null ? "none" : e.upstreamId())
                .register(registry).record(e.durationNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void onHealthChange(HealthEvent e) {
        Counter.builder(HEALTH_CHANGES).description("Upstreams ejected by passive health checking, and restored")
                .tags("kind", e.kind().tag(), "route", e.routeId(), "upstream", e.upstreamId())
                .register(registry).increment();
    }

    @Override
    public void onPanicChange(PanicEvent e) {
        Counter.builder(PANIC_CHANGES).description("Routes entering or leaving panic mode (all upstreams take traffic)")
                .tags("state", e.kind() == PanicEvent.Kind.ENTERED ? "entered" : "left", "route", e.routeId())
                .register(registry).increment();
    }

    @Override
    public void onCircuitChange(CircuitEvent e) {
        Counter.builder(CIRCUIT_CHANGES).description("Circuit breaker transitions by the state entered")
                .tags("state", e.kind().tag(), "route", e.routeId())
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
