package dev.upstreamguard.core.diagnostics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @Test
    void defaultsTrustLoopbackOnly() {
        ExposurePolicy defaults = ExposurePolicy.defaults();

        assertThat(defaults.exposure()).isEqualTo(Exposure.TRUSTED);
        assertThat(defaults.trusted()).isEqualTo(CidrSet.loopback());
        assertThat(defaults.allows("127.0.0.1")).isTrue();
        assertThat(defaults.allows("10.0.0.1")).isFalse();
        assertThat(defaults.allows(null)).isFalse();
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
