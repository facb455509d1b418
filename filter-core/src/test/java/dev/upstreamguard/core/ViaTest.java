package dev.upstreamguard.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ViaTest {

    @ParameterizedTest(name = "[{0}] names edge-7: {1}")
    @CsvSource(delimiter = '|', value = {
            "1.1 edge-7|true",
            "1.1 cdn-3, 1.1 EDGE-7|true",
            "HTTP/2 edge-7 (upstream-guard)|true",
            "1.1\tedge-7|true",
            "1.1 cdn-3|false",
            "1.1 edge-70|false",
            "edge-7|false",
            "''|false",
            "1.1 cdn (edge-7)|false",
    })
    void findsOurReceivedByOnly(String value, boolean expected) {
        assertThat(Via.namesReceivedBy(List.of(value), "edge-7")).isEqualTo(expected);
    }

    @Test
    void looksAtEveryFieldLine() {
        assertThat(Via.namesReceivedBy(List.of("1.1 a", "1.1 edge-7"), "edge-7")).isTrue();
        assertThat(Via.namesReceivedBy(List.of(), "edge-7")).isFalse();
    }

    @Test
    void randomPseudonymsAreTokensAndDiffer() {
        String one = Via.randomPseudonym();
        assertThat(one).matches("upstream-guard-[0-9a-f]{8}");
        assertThat(StructuredFields.isToken(one)).isTrue();
    }
}
