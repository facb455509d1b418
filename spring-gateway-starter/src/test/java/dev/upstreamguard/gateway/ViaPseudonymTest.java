package dev.upstreamguard.gateway;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ViaPseudonymTest {

    private final ViaPseudonym ours = ViaPseudonym.of("gw-1", "upstream-guard.via-pseudonym");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1.1 gw-1                              | true",
            "1.0 cdn, 1.1 GW-1 (upstream-guard)    | true",
            "HTTP/2 gw-1                           | true",
            "1.1 cdn-3, 1.1 edge-7                 | false",
            "1.1 gw-10                             | false",
            "gw-1                                  | false"})
    void findsUsAsReceivedByOnly(String via, boolean found) {
        assertThat(ours.isIn(List.of(via))).isEqualTo(found);
    }

    @Test
    void findsUsInAnyFieldLine() {
        assertThat(ours.isIn(List.of("1.1 cdn", "2 gw-1"))).isTrue();
    }

    @Test
    void aRandomPseudonymWhenNoneIsConfigured() {
        assertThat(ViaPseudonym.of(null, "p").name()).matches("upstream-guard-[0-9a-f]{8}")
                .isNotEqualTo(ViaPseudonym.of("", "p").name());
    }

    @Test
    void aPseudonymThatIsNoTokenIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> ViaPseudonym.of("gw 1", "upstream-guard.via-pseudonym"))
                .hasMessageContaining("upstream-guard.via-pseudonym").hasMessageContaining("HTTP token");
    }
}
