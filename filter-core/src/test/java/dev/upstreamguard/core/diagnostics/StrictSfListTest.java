package dev.upstreamguard.core.diagnostics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test oracle itself: it must accept RFC 8941 Lists and reject everything else. */
class StrictSfListTest {

    @Test
    void readsMembersParametersAndEveryBareItemType() {
        List<StrictSfList.Member> list = StrictSfList.parse(
                "a;n=-12;d=1.5;s=\"x\\\"y\";t=tok/en:1;b=:AQI=:;f=?0;flag, \"B c\" ,(1 2);p, *x");

        assertThat(list).hasSize(4);
        assertThat(list.get(0).value()).isEqualTo(new StrictSfList.Token("a"));
        assertThat(list.get(0).params()).containsExactly(
                org.assertj.core.api.Assertions.entry("n", -12L),
                org.assertj.core.api.Assertions.entry("d", new BigDecimal("1.5")),
                org.assertj.core.api.Assertions.entry("s", "x\"y"),
                org.assertj.core.api.Assertions.entry("t", new StrictSfList.Token("tok/en:1")),
                org.assertj.core.api.Assertions.entry("b", list.get(0).params().get("b")),
                org.assertj.core.api.Assertions.entry("f", Boolean.FALSE),
                org.assertj.core.api.Assertions.entry("flag", Boolean.TRUE));
        assertThat(((StrictSfList.Bytes) list.get(0).params().get("b")).value()).containsExactly(1, 2);
        assertThat(list.get(1).value()).isEqualTo("B c");
        assertThat(list.get(2).value()).isInstanceOf(StrictSfList.InnerList.class);
        assertThat(list.get(3).nameText()).isEqualTo("*x");
    }

    @Test
    void emptyValueIsTheEmptyList() {
        assertThat(StrictSfList.parse("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "a,", ",a", "a,,b", "a;", "a;K=1", "a;1=2", "\"unterminated", "\"bad\\n\"", "\"tab\there\"",
            "1234567890123456", "1234567890123.5", "1.2345", "1.", "?2", "a b", "a;x=", "(a", "(a)b",
            "é", "a\u0000", "a,\tb\t,", "-", "a=1", "\"\u007f\""})
    void rejectsWhatTheGrammarDoesNotAllow(String invalid) {
        assertThatThrownBy(() -> StrictSfList.parse(invalid)).isInstanceOf(IllegalArgumentException.class);
    }
}
