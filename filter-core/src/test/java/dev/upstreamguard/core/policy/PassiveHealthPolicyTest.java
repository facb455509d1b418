package dev.upstreamguard.core.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PassiveHealthPolicyTest {

    @Test
    void defaults() {
        PassiveHealthPolicy p = PassiveHealthPolicy.defaults();
        assertThat(p.enabled()).isTrue();
        assertThat(p.consecutiveFailures()).isEqualTo(5);
        assertThat(p.baseEjection()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.maxEjection()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.maxEjectedPercent()).isEqualTo(50);
        assertThat(p.countUpstream5xx()).isFalse();
        assertThat(PassiveHealthPolicy.disabled().enabled()).isFalse();
    }

    @ParameterizedTest(name = "ejection {2} with base {0} and max {1} lasts {3}")
    @CsvSource({
            "PT30S, PT5M, 1, PT30S",
            "PT30S, PT5M, 2, PT1M",
            "PT30S, PT5M, 3, PT2M",
            "PT30S, PT5M, 4, PT4M",
            "PT30S, PT5M, 5, PT5M",
            "PT30S, PT5M, 6, PT5M",
            "PT30S, PT5M, 2147483647, PT5M",
            "PT10S, PT10S, 3, PT10S",
            "PT0.001S, PT24H, 64, PT24H",
            "PT0.001S, PT24H, 10, PT0.512S"
    })
    void ejectionTimeDoublesUpToTheMaximum(Duration base, Duration max, int n, Duration expected) {
        assertThat(new PassiveHealthPolicy(true, 5, base, max, 50, false).ejectionTime(n)).isEqualTo(expected);
    }

    @Test
    void ejectionNumbersStartAtOne() {
        assertThatThrownBy(() -> PassiveHealthPolicy.defaults().ejectionTime(0)).hasMessageContaining("ejectionNumber");
    }

    @ParameterizedTest(name = "{0} upstreams at {1} % -> at most {2} out")
    @CsvSource({
            "4, 50, 2",
            "1, 50, 0",
            "2, 50, 1",
            "3, 50, 1",
            "3, 10, 1",
            "10, 25, 2",
            "7, 99, 6",
            "5, 100, 5",
            "4, 0, 0",
            "1, 0, 0",
            "1, 100, 0",
    })
    void maxEjectedRoundsDownButIsAtLeastOneAboveZeroPercentAndNeverTheOnlyUpstream(int upstreams, int percent, int expected) {
        PassiveHealthPolicy p = new PassiveHealthPolicy(true, 5, Duration.ofSeconds(1), Duration.ofSeconds(1), percent, false);
        assertThat(p.maxEjected(upstreams)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "consecutiveFailures must be between 1 and 1000, 0, PT30S, PT5M, 50",
            "consecutiveFailures must be between 1 and 1000, 1001, PT30S, PT5M, 50",
            "baseEjection must be between 1 ms and 1 day, 5, PT0S, PT5M, 50",
            "baseEjection must be between 1 ms and 1 day, 5, PT0.0009S, PT5M, 50",
            "maxEjection must be between 1 ms and 1 day, 5, PT30S, PT24H0.001S, 50",
            "maxEjection must be at least baseEjection, 5, PT30S, PT10S, 50",
            "maxEjectedPercent must be between 0 and 100, 5, PT30S, PT5M, -1",
            "maxEjectedPercent must be between 0 and 100, 5, PT30S, PT5M, 101"
    })
    void rejectsValuesNamingTheFieldAndRange(String message, int failures, Duration base, Duration max, int percent) {
        assertThatThrownBy(() -> new PassiveHealthPolicy(true, failures, base, max, percent, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void rejectsMissingDurations() {
        assertThatThrownBy(() -> new PassiveHealthPolicy(true, 5, null, Duration.ofMinutes(5), 50, false))
                .hasMessageContaining("baseEjection");
    }
}
