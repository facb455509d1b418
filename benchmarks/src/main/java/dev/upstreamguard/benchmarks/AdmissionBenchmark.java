package dev.upstreamguard.benchmarks;

import dev.upstreamguard.core.BucketShape;
import dev.upstreamguard.core.Consumption;
import dev.upstreamguard.core.GuardListeners;
import dev.upstreamguard.core.admission.ConcurrencyLimiter;
import dev.upstreamguard.core.admission.RateLimiter;
import dev.upstreamguard.core.admission.RouteAdmission;
import dev.upstreamguard.core.limits.InMemoryBucketBackend;
import dev.upstreamguard.core.policy.ConcurrencyPolicy;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.policy.RateLimitPolicy;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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

/**
 * The admission decision of {@link RouteAdmission#admit} in memory, admitted (the success path), and the
 * ticket closed again as a packaging does when the exchange ends. Three routes: no limits (the default,
 * what every request pays), a concurrency limit only, and a per-address rate limit plus a concurrency
 * limit (the case). The rate limit is 10^9 per second, so every op is admitted (checked in
 * {@code @Setup}); the concurrency limit is 1024 and each op frees its slot.
 *
 * <p>The last three benchmarks take the rate-limited admission apart, so its bytes per op can be
 * attributed: the client key, the backend's bucket lookup and consumption, and the limiter with its
 * {@code RateLimit} header fields.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AdmissionBenchmark {
    private static final String CLIENT = "203.0.113.7";
    private static final Function<String, String> NO_HEADERS = name -> null;

    private RouteAdmission unlimited;
    private RouteAdmission concurrencyOnly;
    private RouteAdmission rateAndConcurrency;
    private RateLimiter rateLimiter;
    private ConcurrencyLimiter concurrencyLimiter;
    private InMemoryBucketBackend backend;
    private BucketShape shape;
    private String bucketKey;

    /** Builds the three routes' admissions on one in-memory backend and checks that each admits. */
    @Setup
    public void setUp() {
        backend = new InMemoryBucketBackend();
        RateLimitPolicy rate = RateLimitPolicy.perAddress("bench", 1_000_000_000L, Duration.ofSeconds(1));
        ConcurrencyPolicy concurrency = ConcurrencyPolicy.ofMaxConcurrent(1024);
        unlimited = admission(GuardPolicy.defaults());
        concurrencyOnly = admission(GuardPolicy.builder().concurrency(concurrency).build());
        rateAndConcurrency = admission(GuardPolicy.builder().rateLimit(rate).concurrency(concurrency).build());
        rateLimiter = new RateLimiter("bench", rate, backend, GuardListeners.none());
        concurrencyLimiter = new ConcurrencyLimiter("bench", concurrency, System::nanoTime);
        shape = rate.shape();
        bucketKey = "bench|" + rateLimiter.key(CLIENT, NO_HEADERS);

        Checks.require(!unlimited.limits() && concurrencyOnly.limits() && rateAndConcurrency.limits(),
                "limits on exactly the two limited routes");
        for (RouteAdmission a : new RouteAdmission[] {unlimited, concurrencyOnly, rateAndConcurrency}) {
            try (RouteAdmission.Ticket ticket = a.admit(CLIENT, NO_HEADERS).toCompletableFuture().join()) {
                Checks.require(ticket.admitted(), "every route to admit");
            }
        }
        Checks.require(rateAndConcurrency.admit(CLIENT, NO_HEADERS).toCompletableFuture().join().headers().size() == 2,
                "RateLimit-Policy and RateLimit fields on the rate-limited route");
    }

    private RouteAdmission admission(GuardPolicy policy) {
        return new RouteAdmission("bench", policy, backend, System::nanoTime, GuardListeners.none());
    }

    /** A route without limits (the default): what {@code admit} costs when nothing is limited. */
    @Benchmark
    public boolean admitNoLimits() {
        RouteAdmission.Ticket ticket = unlimited.admit(CLIENT, NO_HEADERS).toCompletableFuture().join();
        ticket.close();
        return ticket.admitted();
    }

    /** A route with a concurrency limit only: one slot taken and freed. */
    @Benchmark
    public boolean admitConcurrencyLimit() {
        RouteAdmission.Ticket ticket = concurrencyOnly.admit(CLIENT, NO_HEADERS).toCompletableFuture().join();
        ticket.close();
        return ticket.admitted();
    }

    /** The case: a per-address rate limit (in memory) and a concurrency limit, admitted and freed. */
    @Benchmark
    public boolean admitRateAndConcurrencyLimit() {
        RouteAdmission.Ticket ticket = rateAndConcurrency.admit(CLIENT, NO_HEADERS).toCompletableFuture().join();
        ticket.close();
        return ticket.admitted();
    }

    /** Part of the above: the client's bucket key ({@code addr:} + address). */
    @Benchmark
    public String partClientKey() {
        return rateLimiter.key(CLIENT, NO_HEADERS);
    }

    /** Part of the above: one token from the in-memory backend (bucket lookup, Bucket4j, the stage). */
    @Benchmark
    public CompletionStage<Consumption> partBackendTryConsume() {
        return backend.tryConsumeClient("bench", bucketKey, shape, 1);
    }

    /** Part of the above: the rate limiter alone (key, route-qualified key, backend, decision, header fields). */
    @Benchmark
    public Object partRateLimiterWithHeaders() {
        return rateLimiter.tryAcquire(rateLimiter.key(CLIENT, NO_HEADERS)).toCompletableFuture().join().headers();
    }

    /** Part of the above: a concurrency slot taken and freed, without {@code RouteAdmission}. */
    @Benchmark
    public boolean partConcurrencySlot() {
        ConcurrencyLimiter.Permit permit = concurrencyLimiter.tryAcquire();
        permit.close();
        return permit != null;
    }
}
