package dev.upstreamguard.benchmarks;

import dev.upstreamguard.core.GuardListeners;
import dev.upstreamguard.core.Selection;
import dev.upstreamguard.core.Upstream;
import dev.upstreamguard.core.lifecycle.UpstreamPool;
import dev.upstreamguard.core.policy.PassiveHealthPolicy;

import java.util.List;
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

/**
 * The rest of the resilience success path the Jetty module runs per request: {@link UpstreamPool#select}
 * (round-robin over two healthy upstreams, nothing tried yet) and {@link UpstreamPool#onResponse} for the
 * 200 that came back (passive health on, the defaults).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class UpstreamPoolBenchmark {
    private UpstreamPool pool;

    /** A two-upstream pool with the default passive health policy. */
    @Setup
    public void setUp() {
        pool = new UpstreamPool("api", List.of(Upstream.of("api-1", "http://127.0.0.1:8081"),
                Upstream.of("api-2", "http://127.0.0.1:8082")), PassiveHealthPolicy.defaults(), System::nanoTime,
                GuardListeners.none());
        Checks.require(pool.select(List.of()).available(), "a healthy upstream to be selected");
    }

    /** Pick an upstream for a new request, then record its 200. */
    @Benchmark
    public Selection selectAndRecord200() {
        Selection selection = pool.select(List.of());
        pool.onResponse(selection.upstream(), 200);
        return selection;
    }
}
