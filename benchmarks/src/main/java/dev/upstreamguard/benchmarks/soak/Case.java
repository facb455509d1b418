package dev.upstreamguard.benchmarks.soak;

import dev.upstreamguard.testkit.Fault;
import dev.upstreamguard.testkit.Scenario;
import dev.upstreamguard.testkit.Scenarios;
import java.util.List;

/**
 * One kind of request of the soak mix: a method, a test-kit scenario (its expected status and RFC 9209 error
 * token) and a weight in percent. GETs and POSTs use different faults, so the upstream's per-fault request
 * counts tell POSTs apart.
 */
record Case(String method, Scenario scenario, int weight) {

    /** 70 % well-formed, 30 % faults: refused, reset/close, stall, malformed head, truncated body. */
    static final List<Case> MIX = List.of(
            new Case("GET", Scenarios.named("control-ok"), 45),
            new Case("POST", Scenarios.named("control-ok"), 25),
            new Case("GET", Scenarios.named("connection-refused"), 3),
            new Case("POST", Scenarios.named("connection-refused"), 3),
            new Case("GET", Scenarios.named("reset-before-response"), 4),
            new Case("POST", Scenarios.named("close-before-response"), 4),
            new Case("GET", Scenarios.named("stall"), 2),
            new Case("POST", Scenarios.named("slow-head"), 2),
            new Case("GET", Scenarios.named("bad-status-line"), 3),
            new Case("POST", Scenarios.named("invalid-header-name"), 3),
            new Case("GET", Scenarios.named("truncated-body-content-length"), 3),
            new Case("POST", Scenarios.named("truncated-body-chunked"), 3));

    static {
        int sum = MIX.stream().mapToInt(Case::weight).sum();
        if (sum != 100) {
            throw new IllegalStateException("weights add up to " + sum);
        }
    }

    /** The case for a number in 0–99. */
    static Case pick(int percent) {
        int acc = 0;
        for (Case c : MIX) {
            acc += c.weight;
            if (percent < acc) {
                return c;
            }
        }
        throw new IllegalArgumentException("percent " + percent);
    }

    Fault fault() {
        return scenario.fault();
    }

    /** The path a proxy packaging routes: the fault's path, or {@code /refused} (a route whose upstream refuses). */
    String proxyPath() {
        return fault() == null ? "/refused" : fault().path();
    }

    /** e.g. {@code POST close-before-response}. */
    String label() {
        return method + " " + scenario.name();
    }

    /** Whether the upstream may have received it (anything but a refused connection). */
    boolean mayBeDelivered() {
        return fault() != null;
    }
}
