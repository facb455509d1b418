package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.Upstream;
import dev.upstreamguard.core.admission.RouteAdmission;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.RetryPolicy;
import dev.upstreamguard.core.retry.Retrier;
import dev.upstreamguard.core.retry.RetryBudget;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * Everything one route keeps across its requests, built once from the guard's policy: admission (rate
 * limit, then concurrency limit), the opt-in circuit breaker, the upstream pool (rotation and passive health), the retrier with the
 * route's retry budget, the end-to-end deadline and the {@code Via} pseudonym that detects loops. All of it
 * runs on the guard's clock, so a test that injects one into the guard controls the whole route.
 *
 * <p>Each request gets a {@link GuardedExchange} from {@link #exchange(ClientRequest)}; the packaging
 * reports what happens to it and writes the {@link Verdict}s it answers. Keep route guards in a
 * {@link RouteGuards} registry so that their state survives route refreshes.
 *
 * <p>Upstream ids are {@code <routeId>-<n>}, {@code n} counting the route's upstream URLs from 1 in the
 * order given; a route id longer than {@value #MAX_ID_PREFIX} characters is cut to that length first.
 */
public final class RouteGuard {
    /** The longest route-id part of an upstream id, leaving room for {@code -<n>} (ids are at most 64 characters). */
    public static final int MAX_ID_PREFIX = 58;

    private final String routeId;
    private final UpstreamGuard guard;
    private final RouteAdmission admission;
    private final Retrier retrier;
    private final RetryBudget budget;
    private final UpstreamPool pool;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder admitted = new LongAdder();
    private final CircuitBreaker breaker;
    private final Duration responseTimeout;
    private final long deadlineNanos;
    private final String viaPseudonym;
    private final boolean retries;

    private RouteGuard(Builder b) {
        this.routeId = b.routeId;
        this.guard = b.guard;
        GuardPolicy policy = guard.policy();
        this.admission = guard.admission(routeId);
        this.budget = new RetryBudget(routeId, policy.retry(), guard.bucketBackend());
        this.retrier = new Retrier(routeId, policy.retry(), budget, guard::nanoTime, b.random, guard.listener());
        this.pool = b.upstreams.isEmpty() ? null
                : new UpstreamPool(routeId, b.upstreams, policy.health(), guard::nanoTime, guard.listener());
        this.breaker = policy.circuitBreaker().enabled()
                ? new CircuitBreaker(routeId, policy.circuitBreaker(), guard::nanoTime, guard.listener()) : null;
        this.responseTimeout = b.responseTimeout;
        RetryPolicy retry = policy.retry();
        Duration deadline = retry.overallDeadline() != null ? retry.overallDeadline()
                : responseTimeout != null ? responseTimeout : RetryPolicy.DEFAULT_OVERALL_DEADLINE;
        this.deadlineNanos = deadline.toNanos();
        this.viaPseudonym = b.viaPseudonym;
        this.retries = b.retries;
    }

    /** A builder for route {@code routeId} under {@code guard}'s policy. */
    public static Builder builder(String routeId, UpstreamGuard guard) {
        return new Builder(routeId, guard);
    }

    /** The id of the {@code n}-th (1-based) upstream of route {@code routeId}. */
    public static String upstreamId(String routeId, int n) {
        String prefix = routeId.length() > MAX_ID_PREFIX ? routeId.substring(0, MAX_ID_PREFIX) : routeId;
        return prefix + "-" + n;
    }

    /** A new request on this route. */
    public GuardedExchange exchange(ClientRequest request) {
        return new GuardedExchange(this, request, guard.nanoTime());
    }

    /** The route's configured id. */
    public String routeId() {
        return routeId;
    }

    /** The guard whose policy, classifiers, validator and listeners the route uses. */
    public UpstreamGuard guard() {
        return guard;
    }

    /** The route's policy (the guard's). */
    public GuardPolicy policy() {
        return guard.policy();
    }

    /** The route's upstreams with their passive health, or {@code null} when the packaging chooses upstreams. */
    public UpstreamPool pool() {
        return pool;
    }

    /** The route's opt-in circuit breaker, or {@code null} when {@code circuit-breaker.enabled} is off. */
    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    /** The per-attempt response timeout the packaging configured, or {@code null}. */
    public Duration responseTimeout() {
        return responseTimeout;
    }

    /**
     * The end-to-end deadline of one request: {@code retry.deadline} when set, else the response timeout,
     * else {@link RetryPolicy#DEFAULT_OVERALL_DEADLINE}.
     */
    public Duration deadline() {
        return Duration.ofNanos(deadlineNanos);
    }

    /** An admitted request feeds the retry budget, unless the packaging never retries. */
    void onAdmitted() {
        if (retries) {
            retrier.onRequest();
        }
    }

    /** Requests admitted on this route whose exchange has not completed yet. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Requests admitted on this route since the guard was built. */
    public long admitted() {
        return admitted.sum();
    }

    /** Concurrency slots held now (0 without a concurrency limit). */
    public int permitsInUse() {
        return admission.permitsInUse();
    }

    /** The route's concurrency limit; 0 for none. */
    public int concurrencyLimit() {
        return admission.concurrencyLimit();
    }

    /** Retries left in the route's retry budget as of its last retry decision ({@link RetryBudget#retriesLeft()}). */
    public double retriesLeft() {
        return budget.retriesLeft();
    }

    AtomicInteger inFlightCount() {
        return inFlight;
    }

    LongAdder admittedCount() {
        return admitted;
    }

    RouteAdmission admission() {
        return admission;
    }

    Retrier retrier() {
        return retrier;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    String viaPseudonym() {
        return viaPseudonym;
    }

    @Override
    public String toString() {
        return "RouteGuard[" + routeId + (pool == null ? "" : ", " + pool.upstreams().size() + " upstreams") + "]";
    }

    /** Builds a {@link RouteGuard}. */
    public static final class Builder {
        private final String routeId;
        private final UpstreamGuard guard;
        private final List<Upstream> upstreams = new ArrayList<>();
        private Duration responseTimeout;
        private String viaPseudonym;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private boolean retries = true;

        private Builder(String routeId, UpstreamGuard guard) {
            this.routeId = Objects.requireNonNull(routeId, "routeId");
            if (routeId.isBlank()) {
                throw new IllegalArgumentException("routeId must not be blank");
            }
            this.guard = Objects.requireNonNull(guard, "guard");
        }

        /**
         * The route's upstreams, in rotation order, with ids {@code <routeId>-<n>}. Without any, the packaging
         * chooses the upstream of each attempt ({@link GuardedExchange#nextAttempt(Upstream, UpstreamPool, String)}).
         */
        public Builder upstreams(List<URI> uris) {
            upstreams.clear();
            int n = 1;
            for (URI uri : uris) {
                upstreams.add(new Upstream(upstreamId(routeId, n++), uri));
            }
            return this;
        }

        /**
         * The response timeout of one attempt as the packaging configures it (the wait for a response head
         * once the request is sent), or {@code null} for none. Unless {@code retry.deadline} is set, it is also
         * the request's end-to-end deadline: retries never make the client wait longer than it.
         */
        public Builder responseTimeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("responseTimeout must be more than 0, was " + timeout);
            }
            this.responseTimeout = timeout;
            return this;
        }

        /** The pseudonym this proxy writes into {@code Via}; a request that already carries it is a loop. */
        public Builder viaPseudonym(String pseudonym) {
            this.viaPseudonym = pseudonym;
            return this;
        }

        /**
         * {@code false} when the packaging never sends a request again (the servlet filter: the application
         * makes its own calls): admitted requests then do not feed the route's retry budget. Default: true.
         */
        public Builder retries(boolean packagingRetries) {
            this.retries = packagingRetries;
            return this;
        }

        /** Uniform draws from {@code [0, 1)} for the backoff's jitter (tests make it fixed). */
        public Builder random(DoubleSupplier draws) {
            this.random = Objects.requireNonNull(draws, "random");
            return this;
        }

        /** The route guard. */
        public RouteGuard build() {
            return new RouteGuard(this);
        }
    }
}
