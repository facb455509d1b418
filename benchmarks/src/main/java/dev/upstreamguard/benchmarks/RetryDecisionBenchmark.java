package dev.upstreamguard.benchmarks;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.GuardListeners;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.limits.InMemoryBucketBackend;
import dev.upstreamguard.core.policy.RetryPolicy;
import dev.upstreamguard.core.retry.AttemptContext;
import dev.upstreamguard.core.retry.Retrier;
import dev.upstreamguard.core.retry.RetryBudget;
import dev.upstreamguard.core.retry.RetryDecision;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The retry decision of {@link Retrier} with its {@link RetryBudget} on the in-memory bucket backend, as a
 * packaging calls it per request ({@link Retrier#onRequest()}) and per attempt ({@code afterResponse},
 * {@code afterFailure}, {@code onSuccess}). No listener beyond {@link GuardListeners#none()}.
 *
 * <p>The budget is funded the way real traffic funds it: the retried benchmarks call {@code onRequest()}
 * first with a budget ratio of 1.0 (one retry's tokens per request), so the bucket never runs dry and every
 * op takes the "granted" path; {@code @Setup} checks each benchmark's decision.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RetryDecisionBenchmark {
    private static final String ROUTE = "api";
    private static final String UPSTREAM = "api-1";

    private Retrier retrier;
    private Retrier fundedRetrier;
    private AttemptContext firstAttempt;
    private AttemptContext lastAttempt;
    private UpstreamFailure refused;

    /** Builds the retriers (default policy; a fully funded one for the retried paths) and the inputs. */
    @Setup
    public void setUp() {
        RetryPolicy defaults = RetryPolicy.defaults();
        retrier = new Retrier(ROUTE, defaults, new RetryBudget(ROUTE, defaults, new InMemoryBucketBackend()),
                System::nanoTime, () -> ThreadLocalRandom.current().nextDouble(), GuardListeners.none());
        RetryPolicy funded = new RetryPolicy(defaults.maxAttempts(), defaults.retryableMethods(),
                defaults.retryOnStatuses(), null, defaults.overallDeadline(), defaults.backoffBase(),
                defaults.backoffCap(), defaults.retryAfterCap(), defaults.maxReplayableBodyBytes(), 1.0,
                defaults.budgetMinPerSecond());
        fundedRetrier = new Retrier(ROUTE, funded, new RetryBudget(ROUTE, funded, new InMemoryBucketBackend()),
                System::nanoTime, () -> ThreadLocalRandom.current().nextDouble(), GuardListeners.none());
        // started "now" on a 10 s deadline: a 5-minute JMH run would pass it, so the start is refreshed per op
        firstAttempt = new AttemptContext("GET", true, false, 1, System.nanoTime());
        lastAttempt = new AttemptContext("GET", true, false, defaults.maxAttempts(), System.nanoTime());
        refused = UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT);

        Checks.require(decision(retrier.afterResponse(firstAttempt, 200, null, UPSTREAM)).reason()
                .equals(RetryDecision.STATUS_NOT_RETRYABLE), "a 200 not to be retried");
        fundedRetrier.onRequest();
        Checks.require(decision(fundedRetrier.afterFailure(fresh("GET", 1), refused, UPSTREAM)).retry(),
                "a refused connection to be retried");
        fundedRetrier.onRequest();
        Checks.require(decision(fundedRetrier.afterResponse(fresh("GET", 1), 503, null, UPSTREAM)).retry(),
                "a 503 to a GET to be retried");
        Checks.require(decision(retrier.afterFailure(lastAttempt, refused, UPSTREAM)).reason()
                .equals(RetryDecision.ATTEMPTS_EXHAUSTED), "the last attempt not to be retried");
    }

    /** Success path, once per request: the deposit into the route's retry budget. */
    @Benchmark
    public void onRequest() {
        retrier.onRequest();
    }

    /**
     * Success path, once per attempt: the decision after a 200 as the core answers it
     * ({@code status_not_retryable}). The Jetty module and the gateway starter skip this call for a status
     * not in {@code retry.statuses} and call {@link #onSuccessFirstAttempt} instead.
     */
    @Benchmark
    public CompletionStage<RetryDecision> afterResponse200() {
        return retrier.afterResponse(firstAttempt, 200, null, UPSTREAM);
    }

    /** Success path of the packagings: {@code Retrier.onSuccess} for a first attempt (no event). */
    @Benchmark
    public void onSuccessFirstAttempt() {
        retrier.onSuccess(1, 200, UPSTREAM);
    }

    /** Failure path: a refused connection on attempt 1 of a GET, retried after full-jitter backoff (one budget token). */
    @Benchmark
    public void afterFailureRetried(Blackhole bh) {
        fundedRetrier.onRequest();
        bh.consume(fundedRetrier.afterFailure(fresh("GET", 1), refused, UPSTREAM));
    }

    /** Failure path: an upstream 503 to a GET on attempt 1, retried (one budget token). */
    @Benchmark
    public void afterResponse503Retried(Blackhole bh) {
        fundedRetrier.onRequest();
        bh.consume(fundedRetrier.afterResponse(fresh("GET", 1), 503, null, UPSTREAM));
    }

    /** Failure path: the last attempt failed, no retry ({@code attempts_exhausted}, no budget call). */
    @Benchmark
    public CompletionStage<RetryDecision> afterFailureAttemptsExhausted() {
        return retrier.afterFailure(lastAttempt, refused, UPSTREAM);
    }

    private static AttemptContext fresh(String method, int attempt) {
        return new AttemptContext(method, true, false, attempt, System.nanoTime());
    }

    private static RetryDecision decision(CompletionStage<RetryDecision> stage) {
        return stage.toCompletableFuture().join();
    }
}
