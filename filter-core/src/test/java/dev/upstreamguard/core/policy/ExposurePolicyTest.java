package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.CidrSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExposurePolicyTest {

    @ParameterizedTest(name = "{0} for {1} = {2}")
    @CsvSource({
            "NEVER, 127.0.0.1, false", "NEVER, 203.0.113.9, false",
            "TRUSTED, 127.0.0.1, true", "TRUSTED, ::1, true", "TRUSTED, 203.0.113.9, false",
            "TRUSTED, localhost, false", "TRUSTED, '', false",
            "ALWAYS, 203.0.113.9, true", "ALWAYS, localhost, true"})
    void exposureDecidesPerClientAddress(Exposure exposure, String remote, boolean expected) {
        assertThat(new ExposurePolicy(exposure, CidrSet.loopback()).allows(remote)).isEqualTo(expected);
    }

    /** Behind nginx on the same host or a sidecar, every client arrives from loopback: it is not trusted by default. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "::ffff:127.0.0.1", "[::1]", "10.0.0.1", "192.0.2.1"})
    void theDefaultShowsDetailsToNobodyLoopbackIncluded(String remote) {
        assertThat(ExposurePolicy.defaults().exposure()).isEqualTo(Exposure.TRUSTED);
        assertThat(ExposurePolicy.defaults().trusted().isEmpty()).isTrue();
        assertThat(ExposurePolicy.defaults().allows(remote)).isFalse();
        assertThat(dev.upstreamguard.core.policy.GuardPolicy.defaults().exposure().allows(remote)).isFalse();
    }

    @Test
    void loopbackIsTrustedWhenAskedFor() {
        ExposurePolicy loopback = ExposurePolicy.loopback();

        assertThat(loopback.exposure()).isEqualTo(Exposure.TRUSTED);
        assertThat(loopback.trusted()).isEqualTo(CidrSet.loopback());
        assertThat(loopback.allows("127.0.0.1")).isTrue();
        assertThat(loopback.allows("10.0.0.1")).isFalse();
        assertThat(loopback.allows(null)).isFalse();
    }

    @Test
    void configuredCidrsAreTrusted() {
        ExposurePolicy policy = new ExposurePolicy(Exposure.TRUSTED, CidrSet.parse("10.1.0.0/16"));

        assertThat(policy.allows("10.1.9.9")).isTrue();
        assertThat(policy.allows("127.0.0.1")).isFalse();
    }

    @Test
    void nullsAreRefused() {
        assertThatThrownBy(() -> new ExposurePolicy(null, CidrSet.loopback())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ExposurePolicy(Exposure.NEVER, null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @CsvSource({"never, NEVER", " Trusted , TRUSTED", "ALWAYS, ALWAYS"})
    void exposureParsesIgnoringCase(String text, Exposure expected) {
        assertThat(Exposure.parse(text)).isEqualTo(expected);
    }

    @Test
    void unknownExposureNamesTheAllowedValues() {
        assertThatThrownBy(() -> Exposure.parse("sometimes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"sometimes\"").hasMessageContaining("never, trusted, always");
    }
}
