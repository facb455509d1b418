package dev.upstreamguard.benchmarks;

import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.ValidationContext;
import dev.upstreamguard.core.lifecycle.ClientRequest;
import dev.upstreamguard.core.lifecycle.GuardedExchange;
import dev.upstreamguard.core.lifecycle.RouteGuard;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.lifecycle.Verdict;
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

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The core's request lifecycle on the success path, as an adapter drives it for one request: a new
 * {@link GuardedExchange} of a two-upstream route with the default policy, admission (no limits), the first
 * attempt, the request events, a typical 12-field 200 head validated and relayed, completion. Compare with
 * {@code TypicalResponseBenchmark.facade}, the per-response work before the lifecycle moved into the core.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LifecycleBenchmark {
    private static final ClientRequest.Headers NO_HEADERS = new ClientRequest.Headers() {
        @Override
        public String first(String name) {
            return null;
        }

        @Override
        public List<String> all(String name) {
            return List.of();
        }
    };

    private RouteGuard route;
    private ClientRequest request;
    private ResponseHead head;

    /** Builds the route, the request and the head once, and checks that the path is the success path. */
    @Setup
    public void setUp() {
        UpstreamGuard guard = UpstreamGuard.builder().logFailures(false).build();
        route = RouteGuard.builder("api", guard).responseTimeout(Duration.ofSeconds(30))
                .upstreams(List.of(URI.create("http://127.0.0.1:8081"), URI.create("http://127.0.0.1:8082"))).build();
        request = ClientRequest.of("GET", "203.0.113.7", NO_HEADERS);
        head = Heads.typical();
        Checks.require(successPath() == Verdict.Relay.PLAIN, "the head is relayed as it is");
    }

    /** One request through the exchange, from admission to completion. */
    @Benchmark
    public Verdict successPath() {
        GuardedExchange exchange = route.exchange(request);
        exchange.admit();
        exchange.body(true);
        exchange.nextAttempt();
        exchange.requestSending();
        exchange.requestSent();
        exchange.responseBegun();
        Verdict verdict = exchange.onHead(head, ValidationContext.DEFAULT, List.of(), null).toCompletableFuture().join();
        exchange.complete();
        return verdict;
    }
}
