package dev.upstreamguard.benchmarks;

import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.ValidationContext;
import dev.upstreamguard.core.diagnostics.ProxyStatus;
import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.policy.ValidationPolicy;
import dev.upstreamguard.core.validate.ResponseHeadValidator;

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
 * The whole success path a proxy adds per response: validate a typical 12-field head, then write the
 * {@code Proxy-Status} of the 200 it passes through. The target is at most 150 ns per typical response.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TypicalResponseBenchmark {

    private ResponseHeadValidator validator;
    private UpstreamGuard guard;
    private Exchange exchange;
    private ResponseHead head;
    private String memberName;
    private String nextHop;

    /** Builds the validator, the guard, the exchange and the head once. */
    @Setup
    public void setUp() {
        validator = new ResponseHeadValidator(ValidationPolicy.defaults());
        guard = UpstreamGuard.builder().logFailures(false).build();
        head = Heads.typical();
        memberName = ProxyStatus.DEFAULT_MEMBER_NAME;
        nextHop = "backend-1:8080";
        // a client on the network (not loopback, so not trusted by default) and no received Proxy-Status
        exchange = Exchange.of("api", "203.0.113.7", "application/json", "req-1", System.nanoTime())
                .withUpstream("backend-1", nextHop);
        Checks.requireOk(validator.validate(head, ValidationContext.DEFAULT), "typical head");
        Checks.require(guard.passThrough(200, exchange).equals("upstream-guard;received-status=200"),
                "the facade's pass-through value");
    }

    /** The core's building blocks, called directly as an adapter may. */
    @Benchmark
    public void direct(Blackhole bh) {
        bh.consume(validator.validate(head, ValidationContext.DEFAULT));
        bh.consume(ProxyStatus.append((String) null,
                ProxyStatus.passThroughMember(memberName, head.status(), nextHop, false)));
    }

    /**
     * Through the facade, as the servlet filter does: {@link UpstreamGuard#validate} and
     * {@link UpstreamGuard#passThrough}, which also decides exposure from the client address.
     */
    @Benchmark
    public void facade(Blackhole bh) {
        bh.consume(guard.validate(head, ValidationContext.DEFAULT));
        bh.consume(guard.passThrough(head.status(), exchange));
    }

    /** The part of {@link #facade} that decides exposure: parsing the client address against the trusted set. */
    @Benchmark
    public boolean facadeExposureCheck() {
        return guard.policy().exposure().allows(exchange.remoteAddress());
    }
}
