package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.ErrorResponse;
import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Exchange;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.policy.GuardPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** {@code Retry-After} of an error response (RFC 9110 §10.2.3): whole seconds, rounded up, 1 s to 1 day. */
class UpstreamGuardRetryAfterTest {

    private final UpstreamGuard guard = UpstreamGuard.builder().policy(GuardPolicy.defaults()).logFailures(false)
            .nanoClock(() -> 0L).build();

    static Stream<Arguments> retryAfters() {
        long day = GuardPolicy.MAX_RETRY_AFTER.getSeconds();
        return Stream.of(
                arguments(Duration.ofSeconds(Long.MAX_VALUE), day),
                arguments(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), day),
                arguments(Duration.ofSeconds(Long.MAX_VALUE / 1000 + 1), day),   // toMillis() overflows from here
                arguments(Duration.ofMillis(Long.MAX_VALUE), day),               // toMillis() + 999 would overflow
                arguments(Duration.ofDays(365_000), day),
                arguments(GuardPolicy.MAX_RETRY_AFTER.plusNanos(1), day),
                arguments(GuardPolicy.MAX_RETRY_AFTER, day),
                arguments(GuardPolicy.MAX_RETRY_AFTER.minusNanos(1), day),
                arguments(Duration.ofSeconds(Long.MIN_VALUE), 1L),
                arguments(Duration.ofSeconds(-5), 1L),
                arguments(Duration.ZERO, 1L),
                arguments(Duration.ofNanos(1), 1L),
                arguments(Duration.ofSeconds(1), 1L),
                arguments(Duration.ofSeconds(1, 1), 2L),
                arguments(Duration.ofMillis(2_100), 3L),
                arguments(Duration.ofSeconds(30), 30L));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("retryAfters")
    void anyDurationIsClampedToWholeSecondsWithinTheBounds(Duration retryAfter, long expectedSeconds) {
        ErrorResponse r = guard.failureResponse(UpstreamFailure.of(ErrorType.DESTINATION_UNAVAILABLE, Phase.ADMISSION),
                Exchange.of("orders", "203.0.113.9", null, "req-1", 0L), retryAfter);

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("Retry-After")).isEqualTo(Long.toString(expectedSeconds));
    }
}
