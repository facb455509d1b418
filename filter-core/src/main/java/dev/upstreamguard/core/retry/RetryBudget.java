package dev.upstreamguard.core.retry;

import dev.upstreamguard.core.limits.BucketBackend;
import dev.upstreamguard.core.limits.BucketShape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Retries at most {@link RetryPolicy#budgetRatio()} of requests plus a floor of
 * {@link RetryPolicy#budgetMinPerSecond()}, shared per route (and, on a shared backend, across instances),
 * so that retries never amplify an outage (DESIGN §4).
 *
 * <p><b>Model.</b> One token bucket per route on the {@link BucketBackend} SPI, in integer tokens, one retry
 * being {@value #TOKENS_PER_RETRY} tokens:
 * <ul>
 *   <li>each request deposits {@code round(ratio × 1000)} tokens (ratios have a resolution of 0.001);</li>
 *   <li>each retry takes 1000 tokens, and is refused when they are not there;</li>
 *   <li>the bucket refills by itself at {@code floor × 1000} tokens per second (with a floor of 0, at one
 *       token a day, because a bucket shape needs some refill: about one retry every three years);</li>
 *   <li>it holds at most one second of the floor, and at least one retry:
 *       {@code capacity = max(floor, 1) × 1000} tokens; deposits beyond that are dropped.</li>
 * </ul>
 * <b>Bound.</b> Over any interval of {@code T} seconds with {@code R} requests, the bucket can hand out no
 * more than what it held at the start plus what came in, so
 * {@code retries ≤ max(floor, 1) + ratio × R + floor × T}: the ratio of the requests, plus the floor for
 * the interval and one more second of it. A quiet route cannot bank credit for a later storm: the small
 * capacity caps savings to that one second. Dropped deposits only make retries rarer; they do so when many
 * concurrent requests deposit before they all fail together, which is when retries should be scarce.
 * A new bucket starts full (the SPI creates it so): the state of a route that was idle for a second.
 *
 * <p><b>Batched deposits.</b> Deposits are gathered in this instance until they make one retry's worth,
 * then added in one call, so a shared backend sees one call per {@code 1 / ratio} requests instead of one
 * per request. At most 999 tokens (less than one retry) wait in an instance at any time.
 *
 * <p><b>Backend failures.</b> Wrap a shared backend in
 * {@code dev.upstreamguard.core.limits.FailSafeBucketBackend} to choose allow or deny, logged and counted
 * there. A backend that fails anyway (its stage completes exceptionally, or it throws) denies the retry:
 * a retry is an extra that must never make a request fail; the {@link Retrier} reports that as
 * {@value RetryDecision#BUDGET_UNAVAILABLE}, and it is logged here (WARN once, then DEBUG).
 */
public final class RetryBudget {
    /** Tokens that make one retry. */
    public static final long TOKENS_PER_RETRY = 1000;
    /** The name of the budget's bucket shape (backends key buckets by shape name and key). */
    public static final String SHAPE_NAME = "retry_budget";

    private static final Logger LOG = LoggerFactory.getLogger(RetryBudget.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** What the bucket answered for one retry. */
    enum Grant {
        GRANTED, DENIED, BACKEND_FAILED
    }

    private final String routeId;
    private final BucketBackend backend;
    private final BucketShape shape;
    private final long depositPerRequest;
    private final boolean enabled;
    private final AtomicLong pendingDeposit = new AtomicLong();
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    /**
     * The budget of route {@code routeId}.
     *
     * @param routeId the route's id: the bucket's key, shared by every instance using the same backend
     * @param policy  gives the ratio and floor; a disabled policy ({@code maxAttempts} 1) never deposits
     * @param backend where the bucket lives
     */
    public RetryBudget(String routeId, RetryPolicy policy, BucketBackend backend) {
        this.routeId = requireRouteId(routeId);
        Objects.requireNonNull(policy, "policy");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.shape = shapeFor(policy);
        this.depositPerRequest = Math.round(policy.budgetRatio() * TOKENS_PER_RETRY);
        this.enabled = policy.enabled();
    }

    /** The bucket shape a policy's budget uses (see the class comment for the model). */
    public static BucketShape shapeFor(RetryPolicy policy) {
        int floor = policy.budgetMinPerSecond();
        long capacity = TOKENS_PER_RETRY * Math.max(floor, 1);
        return floor > 0
                ? new BucketShape(SHAPE_NAME, capacity, TOKENS_PER_RETRY * floor, Duration.ofSeconds(1))
                : new BucketShape(SHAPE_NAME, capacity, 1, Duration.ofDays(1));
    }

    /**
     * Deposits {@code budgetRatio} of a retry for one incoming request. Completes at once unless this call
     * flushes the gathered deposits to the backend; never completes exceptionally.
     */
    public CompletionStage<Void> onRequest() {
        if (!enabled || depositPerRequest == 0) {
            return DONE;
        }
        long before = pendingDeposit.getAndUpdate(p -> p + depositPerRequest >= TOKENS_PER_RETRY ? 0 : p + depositPerRequest);
        long gathered = before + depositPerRequest;
        if (gathered < TOKENS_PER_RETRY) {
            return DONE;
        }
        try {
            return backend.addTokens(routeId, shape, gathered).exceptionally(ex -> {
                backendFailed("add_tokens", ex);
                return null;
            });
        } catch (RuntimeException ex) {
            backendFailed("add_tokens", ex);
            return DONE;
        }
    }

    /** Takes one retry's tokens; {@code true} when they were there. Never completes exceptionally. */
    public CompletionStage<Boolean> tryAcquireRetry() {
        return acquire().thenApply(grant -> grant == Grant.GRANTED);
    }

    /** Takes one retry's tokens, telling a refusal from a failed backend. Never completes exceptionally. */
    CompletionStage<Grant> acquire() {
        try {
            return backend.tryConsume(routeId, shape, TOKENS_PER_RETRY).handle((consumption, ex) -> {
                if (ex != null || consumption == null) {
                    backendFailed("try_consume", ex);
                    return Grant.BACKEND_FAILED;
                }
                return consumption.consumed() ? Grant.GRANTED : Grant.DENIED;
            });
        } catch (RuntimeException ex) {
            backendFailed("try_consume", ex);
            return CompletableFuture.completedFuture(Grant.BACKEND_FAILED);
        }
    }

    private void backendFailed(String operation, Throwable ex) {
        String cause = ex == null ? "no answer" : ex.getClass().getName();
        if (failureLogged.compareAndSet(false, true)) {
            LOG.warn("retry budget of route {}: backend {} failed on {} ({}); retries are denied while it fails"
                    + " (wrap it in FailSafeBucketBackend to choose allow or deny)", routeId, backend.name(), operation, cause);
        } else {
            LOG.debug("retry budget of route {}: backend {} failed on {} ({})", routeId, backend.name(), operation, cause);
        }
    }

    static String requireRouteId(String routeId) {
        if (routeId == null || routeId.isBlank()) {
            throw new IllegalArgumentException("routeId must not be blank, was " + (routeId == null ? null : "'" + routeId + "'"));
        }
        return routeId;
    }
}
