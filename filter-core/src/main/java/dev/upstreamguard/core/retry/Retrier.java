package dev.upstreamguard.core.retry;

import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.RetryEvent;
import dev.upstreamguard.core.RetryEvent.Outcome;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.policy.RetryCondition;
import dev.upstreamguard.core.policy.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Decides, after each failed attempt of one route's requests, whether another attempt is made and when
 * (only when safe, and only what the route asks for). One instance per route; thread-safe; never blocks: the only
 * asynchronous step is the {@link RetryBudget}, asked last, once every other rule says "retry".
 *
 * <p>The rules, in the order the reason of a refusal is chosen:
 * <ol>
 *   <li>nothing is retried once the client response is committed ({@value RetryDecision#RESPONSE_COMMITTED});</li>
 *   <li>the proxy's own and the request's errors ({@code proxy_*}, {@code http_request_*},
 *       {@code destination_not_found}) are never retried ({@value RetryDecision#ERROR_NOT_RETRYABLE});</li>
 *   <li>a failure whose request never left — observed by the packaging ({@link RequestDelivery#NOT_SENT}), or
 *       implied by the error type ({@linkplain #requestNeverLeft}) — is retried for any method when
 *       {@link RetryPolicy#retryOn()} has {@link RetryCondition#CONNECT_FAILURE} (the default);</li>
 *   <li>any other failure only when its condition ({@link RetryCondition#RESET} or {@link RetryCondition#TIMEOUT})
 *       is in {@link RetryPolicy#retryOn()} ({@value RetryDecision#ERROR_NOT_RETRYABLE}), and a response whose
 *       status is in {@link RetryPolicy#retryOnStatuses()} only with {@link RetryCondition#STATUS}; both only when
 *       the method is in {@link RetryPolicy#retryableMethods()} ({@value RetryDecision#METHOD_NOT_IDEMPOTENT})
 *       and the body can be replayed ({@value RetryDecision#BODY_NOT_REPLAYABLE});</li>
 *   <li>at most {@link RetryPolicy#maxAttempts()} attempts ({@value RetryDecision#ATTEMPTS_EXHAUSTED});</li>
 *   <li>the delay is the upstream's {@code Retry-After} (RFC 9110 §10.2.3) when it has a valid one up to
 *       {@link RetryPolicy#retryAfterCap()} — above it, no retry, the response passes through
 *       ({@value RetryDecision#RETRY_AFTER_TOO_LONG}) — and otherwise {@link Backoff#fullJitter full-jitter backoff};</li>
 *   <li>no retry whose delay ends at or after the request's deadline ({@link AttemptContext#deadlineNanos()}, else
 *       {@link RetryPolicy#overallDeadline()}) ({@value RetryDecision#DEADLINE_EXCEEDED});</li>
 *   <li>a token from the {@link RetryBudget} ({@value RetryDecision#BUDGET_EXHAUSTED}, also when its backend
 *       failed) — except for a transparent retry, below.</li>
 * </ol>
 *
 * <p><b>Transparent retries.</b> A failure whose request never left (rule 3) that is retried on an upstream this
 * request has not tried yet ({@link AttemptContext#untriedUpstream()}) takes no token from the budget and is
 * never denied by it: the budget exists so that retries never multiply the load on the upstreams, and a request
 * that reached none of them adds no load by being sent once to another. The same holds for the guard's own
 * refusal to open another connection ({@code connection_limit_reached}): the request moves to an upstream with
 * room and is still delivered at most once. Such a retry is scheduled with the reason
 * {@value RetryDecision#TRANSPARENT} instead of {@value RetryDecision#FAILURE}, so metrics and logs tell it
 * apart. Every other rule holds: the route's {@link RetryPolicy#maxAttempts()}, the request's one deadline and
 * the backoff. The exemption is bounded by the route's upstreams: a request gets at most one transparent retry
 * per upstream it has not tried (upstreams − 1 in all), because once it has tried every upstream, a further
 * retry repeats one that already failed it — refusing it, or timing out its connect — and is charged as any
 * other. So even with a very high {@code maxAttempts} while every upstream refuses, a request makes at most as
 * many attempts without a token as the route has upstreams, and the budget bounds the rest.
 * Every decision is reported to the listener as a {@link RetryEvent}, except a response whose status is not
 * retried at all (successes are not events).
 *
 * <p>Two clocks: a monotonic nano clock for the deadline (the packaging stamps
 * {@link AttemptContext#startNanos()} with {@link #nanoTime()}), and a wall clock only to turn a
 * {@code Retry-After} HTTP-date into a delay. Clock skew with the upstream therefore shifts HTTP-date delays;
 * a date in the past means no wait.
 */
public final class Retrier {
    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);
    /** The answer for a status the policy does not retry: shared, and a minimal stage so no caller can complete it. */
    private static final CompletionStage<RetryDecision> STATUS_NOT_RETRYABLE =
            CompletableFuture.completedStage(RetryDecision.noRetry(RetryDecision.STATUS_NOT_RETRYABLE));

    private final String routeId;
    private final RetryPolicy policy;
    private final RetryBudget budget;
    private final LongSupplier nanoClock;
    private final DoubleSupplier random;
    private final GuardListener listener;
    private final Clock wallClock;
    private final long deadlineNanos;

    /**
     * A retrier whose {@code Retry-After} HTTP-dates are read against {@link Clock#systemUTC()}.
     *
     * @param routeId   the route's id, for events
     * @param policy    the retry rules
     * @param budget    the route's retry budget
     * @param nanoClock a monotonic clock in nanoseconds (e.g. {@code System::nanoTime})
     * @param random    uniform draws from {@code [0, 1)} for the jitter
     * @param listener  receives a {@link RetryEvent} per decision; must not throw
     */
    public Retrier(String routeId, RetryPolicy policy, RetryBudget budget, LongSupplier nanoClock,
                   DoubleSupplier random, GuardListener listener) {
        this(routeId, policy, budget, nanoClock, random, listener, Clock.systemUTC());
    }

    /** As {@link #Retrier(String, RetryPolicy, RetryBudget, LongSupplier, DoubleSupplier, GuardListener)}, reading HTTP-dates against {@code wallClock}. */
    public Retrier(String routeId, RetryPolicy policy, RetryBudget budget, LongSupplier nanoClock,
                   DoubleSupplier random, GuardListener listener, Clock wallClock) {
        this.routeId = RetryBudget.requireRouteId(routeId);
        this.policy = Objects.requireNonNull(policy, "policy");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.random = Objects.requireNonNull(random, "random");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.deadlineNanos = (policy.overallDeadline() != null ? policy.overallDeadline()
                : RetryPolicy.DEFAULT_OVERALL_DEADLINE).toNanos();
    }

    /** A retrier on the system's clocks and {@link ThreadLocalRandom}. */
    public static Retrier withSystemClocks(String routeId, RetryPolicy policy, RetryBudget budget, GuardListener listener) {
        return new Retrier(routeId, policy, budget, System::nanoTime, () -> ThreadLocalRandom.current().nextDouble(),
                listener, Clock.systemUTC());
    }

    /** The retry rules. */
    public RetryPolicy policy() {
        return policy;
    }

    /** Now on this retrier's nano clock: the value for {@link AttemptContext#startNanos()}. */
    public long nanoTime() {
        return nanoClock.getAsLong();
    }

    /** Call once per incoming request: feeds the budget. Fire-and-forget; never throws. */
    public void onRequest() {
        budget.onRequest();
    }

    /**
     * Whether to retry after the attempt described by {@code ctx} failed with {@code failure}.
     *
     * @param upstreamId the upstream of the failed attempt, for the event, or {@code null}
     * @return the decision; the stage never completes exceptionally
     */
    public CompletionStage<RetryDecision> afterFailure(AttemptContext ctx, UpstreamFailure failure, String upstreamId) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(failure, "failure");
        Trigger trigger = new Trigger(ctx, upstreamId, failure, 0);
        String refusal = RetrySafety.refusalAfterFailure(ctx, failure, policy);
        if (refusal != null) {
            return refused(trigger, Outcome.NOT_RETRIED, refusal);
        }
        boolean transparent = ctx.untriedUpstream() && RetrySafety.requestNeverLeft(ctx, failure);
        return schedule(trigger, transparent ? RetryDecision.TRANSPARENT : RetryDecision.FAILURE, Optional.empty());
    }

    /**
     * Whether to retry after the attempt described by {@code ctx} received a response head with
     * {@code status}. A status this route does not retry ({@link #retriesStatus}) is answered
     * {@value RetryDecision#STATUS_NOT_RETRYABLE} at once, with no event.
     *
     * @param retryAfterHeader the response's {@code Retry-After} value, or {@code null}
     * @param upstreamId       the upstream of the attempt, for the event, or {@code null}
     * @return the decision; the stage never completes exceptionally
     */
    public CompletionStage<RetryDecision> afterResponse(AttemptContext ctx, int status, String retryAfterHeader,
                                                        String upstreamId) {
        Objects.requireNonNull(ctx, "ctx");
        if (!retriesStatus(status)) {
            return STATUS_NOT_RETRYABLE;
        }
        Trigger trigger = new Trigger(ctx, upstreamId, null, status);
        String refusal = RetrySafety.refusalOnceSent(ctx, policy);
        if (refusal != null) {
            return refused(trigger, Outcome.NOT_RETRIED, refusal);
        }
        return schedule(trigger, RetryDecision.STATUS, Optional.ofNullable(retryAfterHeader));
    }

    /** Whether an upstream answer with {@code status} is one this route retries ({@link RetryCondition#STATUS}). */
    public boolean retriesStatus(int status) {
        return policy.enabled() && policy.retriesOn(RetryCondition.STATUS) && policy.retryOnStatuses().contains(status);
    }

    /**
     * Records that attempt {@code attempt} (&gt; 1) was answered normally: a {@code RetryEvent} with
     * outcome {@code SUCCEEDED_AFTER_RETRY}, so metrics count retries that paid off. Attempt 1 records nothing.
     */
    public void onSuccess(int attempt, int status, String upstreamId) {
        if (attempt <= 1) {
            return;
        }
        RetryEvent event = new RetryEvent(routeId, upstreamId, attempt, policy.maxAttempts(),
                RetryEvent.Outcome.SUCCEEDED_AFTER_RETRY, "success", 0, null, status);
        try {
            listener.onRetry(event);
        } catch (RuntimeException ex) {
            LOG.debug("GuardListener {} threw from onRetry", listener, ex);
        }
    }

    /**
     * Whether the error type of a failed attempt alone proves that its request never reached the upstream,
     * so that sending it again is safe for any method: no connection was made (DNS error or timeout,
     * connection refused, connection limit reached, destination unavailable or unroutable). Anything else —
     * a TLS error, a timeout, a reset — may have happened after request bytes were written; only the
     * packaging's observation ({@link RequestDelivery#NOT_SENT}) can say it did not.
     *
     * <p>This assumes no TLS 1.3 early data (0-RTT, RFC 8446 §2.3), which could carry the request inside
     * the handshake; the JDK, Jetty, Netty, Apache and OkHttp clients do not send it.
     */
    public static boolean requestNeverLeft(UpstreamFailure failure) {
        return RetrySafety.neverConnected(Objects.requireNonNull(failure, "failure").type());
    }

    /**
     * Whether {@code method} may be sent again once it may have reached the upstream: it is in
     * {@link RetryPolicy#retryableMethods()}, compared case-sensitively as RFC 9110 §9.1 requires.
     */
    public static boolean isIdempotentlyRetryable(String method, RetryPolicy policy) {
        return RetrySafety.isIdempotentlyRetryable(method, Objects.requireNonNull(policy, "policy"));
    }

    private CompletionStage<RetryDecision> schedule(Trigger trigger, String reason, Optional<String> retryAfterHeader) {
        if (trigger.ctx.attempt() >= policy.maxAttempts()) {
            return refused(trigger, Outcome.NOT_RETRIED, RetryDecision.ATTEMPTS_EXHAUSTED);
        }
        Optional<Duration> asked = retryAfterHeader.flatMap(v -> RetryAfter.parse(v, wallClock.instant()));
        if (asked.isPresent() && asked.get().compareTo(policy.retryAfterCap()) > 0) {
            return refused(trigger, Outcome.NOT_RETRIED, RetryDecision.RETRY_AFTER_TOO_LONG);
        }
        Duration delay = asked.orElseGet(() -> Backoff.fullJitter(policy.backoffBase(), policy.backoffCap(),
                trigger.ctx.attempt(), random.getAsDouble()));
        long elapsed = nanoClock.getAsLong() - trigger.ctx.startNanos();
        long deadline = trigger.ctx.deadlineNanos() > 0 ? trigger.ctx.deadlineNanos() : deadlineNanos;
        if (elapsed + delay.toNanos() >= deadline) {
            return refused(trigger, Outcome.NOT_RETRIED, RetryDecision.DEADLINE_EXCEEDED);
        }
        if (RetryDecision.TRANSPARENT.equals(reason)) { // never left, to an untried upstream: no token (class comment)
            emit(trigger, Outcome.SCHEDULED, reason, delay);
            return CompletableFuture.completedFuture(RetryDecision.retryAfter(delay, reason));
        }
        return budget.acquire().thenApply(grant -> {
            if (grant == RetryBudget.Grant.GRANTED) {
                emit(trigger, Outcome.SCHEDULED, reason, delay);
                return RetryDecision.retryAfter(delay, reason);
            }
            // denied, or the budget's backend failed (reported by the backend itself)
            return refusedNow(trigger, Outcome.DENIED_BY_BUDGET, RetryDecision.BUDGET_EXHAUSTED);
        });
    }

    private CompletionStage<RetryDecision> refused(Trigger trigger, Outcome outcome, String reason) {
        return CompletableFuture.completedFuture(refusedNow(trigger, outcome, reason));
    }

    private RetryDecision refusedNow(Trigger trigger, Outcome outcome, String reason) {
        emit(trigger, outcome, reason, Duration.ZERO);
        return RetryDecision.noRetry(reason);
    }

    private void emit(Trigger trigger, Outcome outcome, String reason, Duration delay) {
        RetryEvent event = new RetryEvent(routeId, trigger.upstreamId, trigger.ctx.attempt(), policy.maxAttempts(),
                outcome, reason, delay.toMillis(), trigger.failure, trigger.status);
        try {
            listener.onRetry(event);
        } catch (RuntimeException ex) {
            LOG.debug("GuardListener {} threw from onRetry", listener, ex);
        }
    }

    /** What the decision is about: the attempt and either its failure or its status. */
    private record Trigger(AttemptContext ctx, String upstreamId, UpstreamFailure failure, int status) {
    }
}
