package dev.upstreamguard.core.diagnostics;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorTextsTest {

    @ParameterizedTest
    @EnumSource(ErrorType.class)
    void everyTypeHasATitleAndALogPhraseThatNameNoInternals(ErrorType type) {
        String title = ErrorTexts.title(type);
        String phrase = ErrorTexts.logPhrase(type);

        assertThat(title).isNotBlank().matches("[A-Z][A-Za-z ]+[a-z]"); // a sentence-case summary, no punctuation
        assertThat(phrase).isNotBlank().matches("[a-zA-Z][a-zA-Z ]+[a-z]");
        for (String text : new String[] {title, phrase}) {
            assertThat(text).doesNotContainIgnoringCase("exception").doesNotContain("_").doesNotContain(type.token());
        }
    }

    @Test
    void titlesAndLogPhrasesAreDistinctPerType() {
        assertThat(Arrays.stream(ErrorType.values()).map(ErrorTexts::title).collect(Collectors.toSet()))
                .hasSize(ErrorType.values().length);
        assertThat(Arrays.stream(ErrorType.values()).map(ErrorTexts::logPhrase).collect(Collectors.toSet()))
                .hasSize(ErrorType.values().length);
    }

    @Test
    void logPhraseReadsLikeNginxWithThePhase() {
        assertThat(ErrorTexts.logPhrase(ErrorType.CONNECTION_REFUSED) + " " + Phase.CONNECT.logPhrase())
                .isEqualTo("upstream refused connection while connecting to upstream");
        assertThat(ErrorTexts.logPhrase(ErrorType.CONNECTION_TERMINATED) + " " + Phase.AWAIT_RESPONSE.logPhrase())
                .isEqualTo("upstream prematurely closed connection while reading response header from upstream");
        assertThat(ErrorTexts.title(ErrorType.CONNECTION_REFUSED)).isEqualTo("Upstream refused the connection");
    }
}
