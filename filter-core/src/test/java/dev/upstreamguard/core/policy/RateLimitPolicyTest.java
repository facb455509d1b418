package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.BucketShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static dev.upstreamguard.core.policy.ClientKeySource.ADDRESS;
import static dev.upstreamguard.core.policy.ClientKeySource.HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitPolicyTest {
    private static final Duration S1 = Duration.ofSeconds(1);

    @Test
    void defaultsAreDisabledHundredPerSecondPerAddress() {
        RateLimitPolicy d = RateLimitPolicy.defaults();
        assertThat(d.enabled()).isFalse();
        assertThat(d.name()).isEqualTo("default");
        assertThat(d.limit()).isEqualTo(100);
        assertThat(d.window()).isEqualTo(S1);
        assertThat(d.burst()).isEqualTo(100);
        assertThat(d.keySource()).isEqualTo(ADDRESS);
        assertThat(d.keyHeader()).isNull();
        assertThat(d.shape()).isEqualTo(new BucketShape("default", 100, 100, S1));
    }

    @Test
    void theShapeHoldsTheBurstAndRefillsTheLimitPerWindow() {
        RateLimitPolicy p = new RateLimitPolicy(true, "api", 10, Duration.ofMinutes(1), 50, HEADER, "X-Api-Key");
        assertThat(p.shape()).isEqualTo(new BucketShape("api", 50, 10, Duration.ofMinutes(1)));
        assertThat(p.windowSeconds()).isEqualTo(60);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("Default", 10L, S1, 0L, ADDRESS, null, "name must be 1-32 characters of a-z 0-9 _ -, was 'Default'"),
                Arguments.of("", 10L, S1, 0L, ADDRESS, null, "name must be 1-32 characters"),
                Arguments.of("a\"b", 10L, S1, 0L, ADDRESS, null, "name must be 1-32 characters"),
                Arguments.of("x".repeat(33), 10L, S1, 0L, ADDRESS, null, "name must be 1-32 characters"),
                Arguments.of("default", 0L, S1, 0L, ADDRESS, null, "limit must be between 1 and 1000000000, was 0"),
                Arguments.of("default", 2_000_000_000L, S1, 0L, ADDRESS, null, "limit must be between 1 and 1000000000"),
                Arguments.of("default", 10L, Duration.ofMillis(500), 0L, ADDRESS, null,
                        "window must be a whole number of seconds from 1 s to 86400 s, was PT0.5S"),
                Arguments.of("default", 10L, Duration.ofMillis(1_500), 0L, ADDRESS, null, "window must be a whole number of seconds"),
                Arguments.of("default", 10L, Duration.ofDays(2), 0L, ADDRESS, null, "window must be a whole number of seconds"),
                Arguments.of("default", 10L, S1, -1L, ADDRESS, null, "burst must be between 1 and 1000000000 (or 0 for the same as limit), was -1"),
                Arguments.of("default", 10L, S1, 0L, HEADER, null, "keyHeader must be a header field name (RFC 9110 token) when keySource is HEADER, was null"),
                Arguments.of("default", 10L, S1, 0L, HEADER, "X Api Key", "keyHeader must be a header field name (RFC 9110 token) when keySource is HEADER, was 'X Api Key'"),
                Arguments.of("default", 10L, S1, 0L, ADDRESS, "X-Api-Key", "keyHeader must be null unless keySource is HEADER, was 'X-Api-Key'"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidValuesFailNamingTheFieldAndTheAcceptedRange(String name, long limit, Duration window, long burst,
                                                            ClientKeySource source, String header, String message) {
        assertThatThrownBy(() -> new RateLimitPolicy(true, name, limit, window, burst, source, header))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void missingValuesFailNamingTheField() {
        assertThatThrownBy(() -> new RateLimitPolicy(true, null, 1, S1, 0, ADDRESS, null)).hasMessage("name");
        assertThatThrownBy(() -> new RateLimitPolicy(true, "a", 1, null, 0, ADDRESS, null)).hasMessage("window");
        assertThatThrownBy(() -> new RateLimitPolicy(true, "a", 1, S1, 0, null, null)).hasMessage("keySource");
    }
}
