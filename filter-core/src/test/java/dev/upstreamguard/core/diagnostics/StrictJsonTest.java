package dev.upstreamguard.core.diagnostics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test oracle itself: it must accept RFC 8259 JSON and reject everything else. */
class StrictJsonTest {

    @Test
    void readsEveryValueType() {
        Object v = StrictJson.parse(" {\"a\":\"x\\u00e9\\n\\/\",\"b\":[1,-2.5e3,true,false,null],\"c\":{}} ");

        assertThat(v).isEqualTo(Map.of("a", "x\u00e9\n/",
                "b", java.util.Arrays.asList(new BigDecimal("1"), new BigDecimal("-2.5e3"), true, false, null),
                "c", Map.of()));
        assertThat(StrictJson.parse("[]")).isEqualTo(List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\":1,}", "[1,]", "01", "1.", "\"a\nb\"", "\"\\x\"", "\"\\u12\"", "{a:1}",
            "{\"a\":1,\"a\":2}", "tru", "1 2", "'a'", "+1", "\"\t\""})
    void rejectsWhatTheGrammarDoesNotAllow(String invalid) {
        assertThatThrownBy(() -> StrictJson.parse(invalid)).isInstanceOf(IllegalArgumentException.class);
    }
}
