package dev.upstreamguard.benchmarks;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.diagnostics.ProxyStatus;

import java.util.LinkedHashMap;
import java.util.Map;
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
 * Writing our {@code Proxy-Status} member (RFC 9209 §2): for a passed-through response (the success
 * path, once per response) and for a failure with parameters (the failure path).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ProxyStatusBenchmark {

    private String memberName;
    private String nextHop;
    private String receivedValue;
    private int receivedStatus;
    private UpstreamFailure failure;

    /** Fields, not constants, so the JIT cannot fold the inputs. */
    @Setup
    public void setUp() {
        memberName = ProxyStatus.DEFAULT_MEMBER_NAME;
        nextHop = "backend-1:8080";
        receivedValue = "origin-cache; received-status=200";
        receivedStatus = 200;
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("header-name", "X-Large");
        parameters.put("header-size", 9000L);
        failure = new UpstreamFailure(ErrorType.HTTP_RESPONSE_HEADER_SIZE, Phase.READ_HEAD, parameters,
                "response header field larger than the limit", null);
        Checks.require(passThrough().equals("upstream-guard;received-status=200"), "the pass-through member");
        Checks.require(passThroughConcatenationReference().equals(passThrough()), "the reference value");
        Checks.require(failureMemberExposed().equals("upstream-guard;error=http_response_header_size"
                + ";header-name=\"X-Large\";header-size=9000"
                + ";details=\"response header field larger than the limit\";next-hop=backend-1:8080"),
                "the failure member");
    }

    /** Success path, the common case: no received {@code Proxy-Status}, next hop not exposed. */
    @Benchmark
    public String passThrough() {
        return ProxyStatus.append((String) null, ProxyStatus.passThroughMember(memberName, receivedStatus, nextHop, false));
    }

    /** Success path behind another intermediary: our member appended to a received value. */
    @Benchmark
    public String passThroughAppendedToReceived() {
        return ProxyStatus.append(receivedValue, ProxyStatus.passThroughMember(memberName, receivedStatus, nextHop, false));
    }

    /** Success path for a trusted client: {@code next-hop} exposed. */
    @Benchmark
    public String passThroughExposed() {
        return ProxyStatus.append((String) null, ProxyStatus.passThroughMember(memberName, receivedStatus, nextHop, true));
    }

    /**
     * Reference, not core code: the same pass-through value built with one string concatenation, the
     * least a per-response member can cost unless it is cached per status.
     */
    @Benchmark
    public String passThroughConcatenationReference() {
        return memberName + ";received-status=" + receivedStatus;
    }

    /** Failure path: error type and parameters, {@code details} and {@code next-hop} hidden (the default). */
    @Benchmark
    public String failureMember() {
        return ProxyStatus.member(memberName, failure, nextHop, false);
    }

    /** Failure path for a trusted client: {@code details} and {@code next-hop} written too. */
    @Benchmark
    public String failureMemberExposed() {
        return ProxyStatus.member(memberName, failure, nextHop, true);
    }
}
