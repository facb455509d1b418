package dev.upstreamguard.benchmarks;

import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.ValidationContext;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.validate.ValidationResult;

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
 * Head validation on the success path ({@link UpstreamGuard#validate}), beside two baselines that visit
 * the same field lines the way a proxy copying the head does, so the cost can be read as a ratio.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HeadValidationBenchmark {

    private UpstreamGuard guard;
    private ResponseHead typical;
    private ResponseHead large;

    /** Builds the guard and both heads once, and checks that both heads pass. */
    @Setup
    public void setUp() {
        guard = UpstreamGuard.withDefaults();
        typical = Heads.typical();
        large = Heads.withFields(100);
        Checks.requireOk(guard.validate(typical, ValidationContext.DEFAULT), "typical head");
        Checks.requireOk(guard.validate(large, ValidationContext.DEFAULT), "100-field head");
        Checks.require(typical.fieldCount() == 12 && large.fieldCount() == 100, "field counts 12 and 100");
    }

    /** Validates the typical 12-field head. */
    @Benchmark
    public ValidationResult validateTypical12() {
        return guard.validate(typical, ValidationContext.DEFAULT);
    }

    /** Validates the 100-field head. */
    @Benchmark
    public ValidationResult validate100() {
        return guard.validate(large, ValidationContext.DEFAULT);
    }

    /** Baseline: visits the 12 field lines and reads name and value lengths. */
    @Benchmark
    public long baselineLengthsTypical12() {
        return Heads.lengths(typical);
    }

    /** Baseline: visits the 100 field lines and reads name and value lengths. */
    @Benchmark
    public long baselineLengths100() {
        return Heads.lengths(large);
    }

    /** Baseline: reads every character of the 12 field lines once. */
    @Benchmark
    public long baselineCharsTypical12() {
        return Heads.characters(typical);
    }

    /** Baseline: reads every character of the 100 field lines once. */
    @Benchmark
    public long baselineChars100() {
        return Heads.characters(large);
    }
}
