package dev.upstreamguard.core.retry;

import dev.upstreamguard.core.BucketBackend;
import dev.upstreamguard.core.BucketShape;
import dev.upstreamguard.core.policy.RetryPolicy;
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
 * so that retries never amplify an outage.
 *
 * <p><b>Model.</b> One token bucket per route on the {@link BucketBackend} SPI, in integer tokens, one retry
 * being {@value #TOKENS_PER_RETRY} tokens:
 * <ul>
 *   <li>each request deposits {@code d = round(ratio × 1000)} tokens (ratios have a resolution of 0.001);</li>
 *   <li>each retry takes 1000 tokens, and is refused when they are not there;</li>
 *   <li>the bucket refills by itself at {@code floor × 1000} tokens per second (with a floor of 0, at one
 *       token a day, because a bucket shape needs some refill: about one retry every three years);</li>
 *   <li>it holds one second of the floor (at least one retry) plus the deposits of
 *       {@value #DEPOSIT_ROOM_REQUESTS} requests: {@code capacity = max(floor, 1) × 1000 + 100 × d} tokens;
 *       deposits beyond that are dropped.</li>
 * </ul>
 * <b>Bound.</b> Over any interval of {@code T} seconds with {@code R} requests, the bucket can hand out no
 * more than it held at the start plus what came in, so
 * {@code retries ≤ ratio × (R + 100) + floor × (T + 1 s)} (with a floor of 0: one more). That is the ratio
 * of the requests plus the floor, and a one-off allowance of one second of the floor and the deposits of
 * 100 requests. The deposit room lets requests that are in flight together earn their retries before
 * they fail together; the capacity keeps a quiet route from banking credit for a later storm. Deposits
 * dropped at the capacity only make retries rarer (when more than 100 requests' deposits arrive before
 * their failures). A new bucket starts full (the SPI creates it so), as after a quiet spell: at the
 * defaults (20 %, 10/s) a new route may retry 30 times before the ratio applies.
 *
 * <p><b>Batched deposits.</b> Deposits are gathered in this instance until they make one retry's worth,
 * then added in one call, so a shared backend sees one call per {@code 1 / ratio} requests instead of one
 * per request. At most 999 tokens (less than one retry) wait in an instance at any time.
 *
 * <p><b>Backend failures.</b> Wrap a shared backend in
 * {@code dev.upstreamguard.core.limits.FailSafeBucketBackend} to choose allow or deny, logged and counted
 * there. A backend that fails anyway (its stage completes exceptionally, or it throws) denies the retry:
 * a retry is an extra that must never make a request fail; the {@link Retrier} reports that as
 * {@value RetryDecision#BUDGET_EXHAUSTED}, and it is logged here (WARN once, then DEBUG).
 */
public final class RetryBudget {
    /** Tokens that make one retry. */
    public static final long TOKENS_PER_RETRY = 1000;
    /** The number of requests whose deposits the bucket has room for, above one second of the floor. */
    public static final int DEPOSIT_ROOM_REQUESTS = 100;
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
    /** Tokens the backend reported left at the last retry decision; a new bucket starts full. */
    private final AtomicLong lastRemainingTokens;

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
        this.depositPerRequest = depositFor(policy);
        this.enabled = policy.enabled();
        this.lastRemainingTokens = new AtomicLong(shape.capacity());
    }

    /** The bucket shape a policy's budget uses (see the class comment for the model). */
    public static BucketShape shapeFor(RetryPolicy policy) {
        int floor = policy.budgetMinPerSecond();
        long capacity = TOKENS_PER_RETRY * Math.max(floor, 1) + DEPOSIT_ROOM_REQUESTS * depositFor(policy);
        return floor > 0
                ? new BucketShape(SHAPE_NAME, capacity, TOKENS_PER_RETRY * floor, Duration.ofSeconds(1))
                : new BucketShape(SHAPE_NAME, capacity, 1, Duration.ofDays(1));
    }

    private static long depositFor(RetryPolicy policy) {
        return Math.round(policy.budgetRatio() * TOKENS_PER_RETRY);
    }

    /**
     * Deposits {@code budgetRatio} of a retry for one incoming request. Completes at once unless this call
     * flushes the gathered deposits to the backend; never completes exceptionally.
     */
    public CompletionStage<Void> onRequest() {
        if (!enabled || depositPerRequest == 0) {
            return DONE;
        }
        long before = pendingDeposit.getAndAccumulate(depositPerRequest, RetryBudget::depositOrFlush);
        long gathered = before + depositPerRequest;
        if (gathered < TOKENS_PER_RETRY) {
            return DONE;
        }
        try {
            CompletionStage<Void> added = backend.addTokens(routeId, shape, gathered);
            if (succeeded(added)) {
                return DONE;
            }
            return added.exceptionally(ex -> {
                backendFailed("add_tokens", ex);
                return null;
            });
        } catch (RuntimeException ex) {
            backendFailed("add_tokens", ex);
            return DONE;
        }
    }

    /** The pending deposit after adding {@code deposit}: reset to 0 when it makes a retry's worth (then flushed). */
    private static long depositOrFlush(long pending, long deposit) {
        return pending + deposit >= TOKENS_PER_RETRY ? 0 : pending + deposit;
    }

    /** Whether a stage is already completed normally (an in-memory backend's), so no handler stage is needed. */
    private static boolean succeeded(CompletionStage<?> stage) {
        if (stage instanceof CompletableFuture) {
            CompletableFuture<?> future = (CompletableFuture<?>) stage;
            return future.isDone() && !future.isCompletedExceptionally();
        }
        return false;
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
                if (consumption.fromBackend()) {
                    lastRemainingTokens.set(consumption.remainingTokens());
                }
                return consumption.consumed() ? Grant.GRANTED : Grant.DENIED;
            });
        } catch (RuntimeException ex) {
            backendFailed("try_consume", ex);
            return CompletableFuture.completedFuture(Grant.BACKEND_FAILED);
        }
    }

    /**
     * Retries left in the bucket as the backend reported them at the last retry decision (tokens over
     * {@value #TOKENS_PER_RETRY}; the full capacity before any). Deposits and refills since then are not
     * included, and no backend call is made: a value for metrics, never for decisions.
     */
    public double retriesLeft() {
        return (double) lastRemainingTokens.get() / TOKENS_PER_RETRY;
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
