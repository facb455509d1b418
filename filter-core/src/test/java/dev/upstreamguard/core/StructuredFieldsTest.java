package dev.upstreamguard.core;

import dev.upstreamguard.core.diagnostics.NastyStrings;
import dev.upstreamguard.core.diagnostics.StrictSfList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class StructuredFieldsTest {

    static Stream<Arguments> tokens() {
        return Stream.of(
                arguments("upstream-guard", true), arguments("a", true), arguments("*", true),
                arguments("A1!#$%&'*+-.^_`|~:/", true), arguments("Example", true),
                arguments("backend.example.org:8001", true), arguments("1abc", false), arguments("-a", false),
                arguments("a b", false), arguments("a\"b", false), arguments("a;b", false), arguments("a,b", false),
                arguments("a=b", false), arguments("a(b", false), arguments("a?b", false), arguments("\u00e9", false),
                arguments("a\u00e9", false), arguments("", false));
    }

    @ParameterizedTest(name = "token <{0}> = {1}")
    @MethodSource("tokens")
    void tokensFollowRfc8941Section334(String candidate, boolean expected) {
        assertThat(StructuredFields.isToken(candidate)).isEqualTo(expected);
        if (expected) {
            assertThat(StrictSfList.parse(candidate).get(0).value()).isEqualTo(new StrictSfList.Token(candidate));
        }
    }

    static Stream<Arguments> keys() {
        return Stream.of(
                arguments("error", true), arguments("received-status", true), arguments("*", true),
                arguments("a_b.c-d*9", true), arguments("Error", false), arguments("1a", false),
                arguments("a:b", false), arguments("a/b", false), arguments("-a", false), arguments("a b", false),
                arguments("", false));
    }

    @ParameterizedTest(name = "key <{0}> = {1}")
    @MethodSource("keys")
    void keysFollowRfc8941Section312(String candidate, boolean expected) {
        assertThat(StructuredFields.isKey(candidate)).isEqualTo(expected);
    }

    @Test
    void nullIsNeitherTokenNorKey() {
        assertThat(StructuredFields.isToken(null)).isFalse();
        assertThat(StructuredFields.isKey(null)).isFalse();
    }

    static List<String> nastyStrings() {
        return NastyStrings.all();
    }

    @ParameterizedTest
    @MethodSource("nastyStrings")
    void everyStringSerialisesToAValidSfStringThatParsesBackToItsDocumentedForm(String s) {
        StringBuilder out = new StringBuilder();
        StructuredFields.appendString(out, s);

        List<StrictSfList.Member> parsed = StrictSfList.parse(out.toString());
        assertThat(parsed).hasSize(1);
        assertThat(parsed.get(0).value()).isEqualTo(NastyStrings.sfStringForm(s));
    }

    @Test
    void printableAsciiIsKeptExactly() {
        StringBuilder all = new StringBuilder();
        for (char c = 0x20; c <= 0x7E; c++) {
            all.append(c);
        }
        StringBuilder out = new StringBuilder();
        StructuredFields.appendString(out, all.toString());

        assertThat(StrictSfList.parse(out.toString()).get(0).value()).isEqualTo(all.toString());
        assertThat(StructuredFields.isStringRepresentable(all.toString())).isTrue();
        assertThat(StructuredFields.isStringRepresentable("\u007f")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "-1", "999999999999999", "-999999999999999", "200"})
    void integersInRangeRoundTrip(long value) {
        StringBuilder out = new StringBuilder();
        StructuredFields.appendInteger(out, value);
        assertThat(StrictSfList.parse(out.toString()).get(0).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource({"1000000000000000", "-1000000000000000", "9223372036854775807", "-9223372036854775808"})
    void integersOutOfRangeAreRefused(long value) {
        StringBuilder out = new StringBuilder();
        assertThatThrownBy(() -> StructuredFields.appendInteger(out, value))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("15 digits");
        assertThat(out).isEmpty();
    }

    @Test
    void tokenOrStringPicksTheTokenWhenValid() {
        StringBuilder token = new StringBuilder();
        StructuredFields.appendTokenOrString(token, "backend:8080");
        StringBuilder string = new StringBuilder();
        StructuredFields.appendTokenOrString(string, "10.0.0.1:8080");

        assertThat(token).hasToString("backend:8080");
        assertThat(string).hasToString("\"10.0.0.1:8080\"");
        assertThat(StrictSfList.parse(string.toString()).get(0).value()).isEqualTo("10.0.0.1:8080");
    }

    @Test
    void invalidKeysAreRefusedWithTheRule() {
        assertThatThrownBy(() -> StructuredFields.requireKey("Bad Key"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RFC 8941 key").hasMessageContaining("\"Bad Key\"");
    }
}
