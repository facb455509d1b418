package dev.upstreamguard.testkit;

import java.net.URI;
import java.util.Objects;

/**
 * One case of the conformance contract: where the request goes, and what the client of a guarded
 * proxy must see (status, RFC 9209 error token, kind of outcome).
 *
 * @param name           unique kebab-case name; the fault's path name for fault scenarios
 * @param fault          the fault to trigger, or {@code null} when {@code target} is not {@link Target#FAULT_PATH}
 * @param target         where the request goes
 * @param expectedStatus the status the client must receive (for {@link Outcome#TRUNCATED}: the relayed one)
 * @param expectedError  the RFC 9209 {@code error} token, or {@code null} when nothing is proxy-made
 *                       ({@link Outcome#PASSED_THROUGH}, {@link Outcome#CONTROL})
 * @param outcome        the kind of outcome
 * @param description    one line on what happens and why that is the expectation
 */
public record Scenario(String name, Fault fault, Target target, int expectedStatus, String expectedError,
                       Outcome outcome, String description) {

    /** Checks that the parts agree: a fault exactly for fault paths, an error token exactly for failures. */
    public Scenario {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(description, "description");
        if ((fault != null) != (target == Target.FAULT_PATH)) {
            throw new IllegalArgumentException(name + ": a fault is required for FAULT_PATH and only for it");
        }
        boolean failure = outcome == Outcome.VERDICT || outcome == Outcome.TRUNCATED;
        if ((expectedError != null) != failure) {
            throw new IllegalArgumentException(name + ": an error token is required for VERDICT/TRUNCATED and only for them");
        }
        if (expectedStatus < 100 || expectedStatus > 599) {
            throw new IllegalArgumentException(name + ": expectedStatus out of range: " + expectedStatus);
        }
    }

    /** The URI to send this scenario's request to, on the given upstream. */
    public URI uri(MisbehavingUpstream upstream) {
        return switch (target) {
            case FAULT_PATH -> upstream.uri(fault);
            case REFUSED -> upstream.refusedUri();
            case CONNECT_TIMEOUT -> upstream.connectTimeoutUri();
            case UNRESOLVABLE -> MisbehavingUpstream.unresolvableUri();
        };
    }

    /** The name, so parameterized test reports read well. */
    @Override
    public String toString() {
        return name;
    }
}
