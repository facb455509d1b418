package dev.upstreamguard.core.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {
    private static final RetryPolicy D = RetryPolicy.defaults();

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(D.maxAttempts()).isEqualTo(2);
        assertThat(D.retryableMethods()).containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS");
        assertThat(D.retryOnStatuses()).containsExactlyInAnyOrder(502, 503, 504);
        assertThat(D.perTryTimeout()).isNull();
        assertThat(D.overallDeadline()).as("the route's response timeout").isNull();
        assertThat(D.retryOn()).containsExactly(RetryCondition.CONNECT_FAILURE);
        assertThat(D.backoffBase()).isEqualTo(Duration.ofMillis(25));
        assertThat(D.backoffCap()).isEqualTo(Duration.ofMillis(250));
        assertThat(D.retryAfterCap()).isEqualTo(Duration.ofSeconds(1));
        assertThat(D.maxReplayableBodyBytes()).isEqualTo(65536);
        assertThat(D.budgetRatio()).isEqualTo(0.2);
        assertThat(D.budgetMinPerSecond()).isEqualTo(10);
        assertThat(D.enabled()).isTrue();
    }

    @Test
    void disabledAllowsOneAttemptAndKeepsTheRest() {
        RetryPolicy off = RetryPolicy.disabled();
        assertThat(off.maxAttempts()).isEqualTo(1);
        assertThat(off.enabled()).isFalse();
        assertThat(off.withMaxAttempts(2)).isEqualTo(D);
    }

    @Test
    void methodsAreUpperCasedAndBothSetsAreFrozen() {
        Set<String> given = new HashSet<>(Set.of("get", "Put", "DELETE"));
        RetryPolicy p = D.withRetryableMethods(given);
        given.add("HEAD");
        assertThat(p.retryableMethods()).containsExactlyInAnyOrder("GET", "PUT", "DELETE");
        assertThatThrownBy(() -> p.retryableMethods().add("TRACE")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.retryOnStatuses().add(500)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(D.withRetryableMethods(Set.of()).retryableMethods()).isEmpty();
    }

    @Test
    void edgesOfTheRangesAreAccepted() {
        RetryPolicy p = new RetryPolicy(100, Set.of("PROPFIND"), Set.of(400, 599), Duration.ofDays(1), Duration.ofDays(1),
                Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, 0.0, 0);
        assertThat(p.maxAttempts()).isEqualTo(100);
        assertThat(new RetryPolicy(1, Set.of(), Set.of(), null, Duration.ofNanos(1), Duration.ofDays(1),
                Duration.ofDays(1), Duration.ofDays(1), 16 * 1024 * 1024, 1.0, 1_000_000).budgetRatio()).isEqualTo(1.0);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("maxAttempts", "1-100", () -> D.withMaxAttempts(0)),
                bad("maxAttempts", "1-100", () -> D.withMaxAttempts(101)),
                bad("retryableMethods", "idempotent methods only", () -> D.withRetryableMethods(Set.of("GET", "POST"))),
                bad("retryableMethods", "idempotent methods only", () -> D.withRetryableMethods(Set.of("patch"))),
                bad("retryableMethods", "idempotent methods only", () -> D.withRetryableMethods(Set.of("CONNECT"))),
                bad("retryableMethods", "RFC 9110 §9.1 tokens", () -> D.withRetryableMethods(Set.of("GE T"))),
                bad("retryableMethods", "RFC 9110 §9.1 tokens", () -> D.withRetryableMethods(Set.of(""))),
                bad("retryableMethods", "RFC 9110 §9.1 tokens", () -> D.withRetryableMethods(new HashSet<>(Arrays.asList("GET", null)))),
                bad("retryableMethods", "possibly empty", () -> D.withRetryableMethods(null)),
                bad("retryOnStatuses", "400-599", () -> D.withRetryOnStatuses(Set.of(399))),
                bad("retryOnStatuses", "400-599", () -> D.withRetryOnStatuses(Set.of(600))),
                bad("retryOnStatuses", "400-599", () -> D.withRetryOnStatuses(null)),
                bad("overallDeadline", "more than 0 up to PT24H", () -> D.withTimeouts(null, Duration.ZERO)),
                bad("overallDeadline", "more than 0 up to PT24H", () -> D.withTimeouts(null, Duration.ofDays(2))),
                bad("perTryTimeout", "more than 0 up to PT24H", () -> D.withTimeouts(Duration.ZERO, Duration.ofSeconds(10))),
                bad("perTryTimeout", "up to overallDeadline", () -> D.withTimeouts(Duration.ofSeconds(11), Duration.ofSeconds(10))),
                bad("backoffBase", "0 up to PT24H", () -> D.withBackoff(Duration.ofMillis(-1), Duration.ofMillis(250))),
                bad("backoffBase", "0 up to backoffCap", () -> D.withBackoff(Duration.ofMillis(300), Duration.ofMillis(250))),
                bad("backoffCap", "0 up to PT24H", () -> D.withBackoff(Duration.ZERO, null)),
                bad("backoffCap", "0 up to PT24H", () -> D.withBackoff(Duration.ZERO, Duration.ofDays(1).plusNanos(1))),
                bad("retryAfterCap", "0 up to PT24H", () -> D.withRetryAfterCap(Duration.ofSeconds(-1))),
                bad("maxReplayableBodyBytes", "0-16777216", () -> D.withMaxReplayableBodyBytes(-1)),
                bad("maxReplayableBodyBytes", "0-16777216", () -> D.withMaxReplayableBodyBytes(16 * 1024 * 1024 + 1)),
                bad("budgetRatio", "0.0-1.0", () -> D.withBudget(-0.1, 10)),
                bad("budgetRatio", "0.0-1.0", () -> D.withBudget(1.5, 10)),
                bad("budgetRatio", "0.0-1.0", () -> D.withBudget(Double.NaN, 10)),
                bad("budgetMinPerSecond", "0-1000000", () -> D.withBudget(0.2, -1)),
                bad("budgetMinPerSecond", "0-1000000", () -> D.withBudget(0.2, 1_000_001)));
    }

    private static Arguments bad(String field, String accepted, Supplier<RetryPolicy> make) {
        return Arguments.of(field, accepted, make);
    }

    @ParameterizedTest(name = "{0} rejected: {1}")
    @MethodSource("badValues")
    void everyBadValueIsRejectedNamingTheFieldAndTheRange(String field, String accepted, Supplier<RetryPolicy> make) {
        assertThatThrownBy(make::get)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("RetryPolicy." + field + " must be ")
                .hasMessageContaining(accepted)
                .hasMessageContaining(", was ");
    }
}
