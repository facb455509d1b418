package dev.upstreamguard.core.diagnostics;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.retry.RetryDecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The error catalogue {@code docs/errors.md} has a section per error type, anchored by its token, that gives the
 * facts the code has (RFC section, default status, the {@code status.<token>} key, title, log phrase), and the
 * default problem {@code type} of every token lands on that anchor; every {@code not_retried} value has its row.
 */
class ErrorCatalogueTest {

    private static final Path CATALOGUE = Path.of("..", "docs", "errors.md");

    private static String catalogue() throws IOException {
        return Files.readString(CATALOGUE, StandardCharsets.UTF_8);
    }

    private static String anchor(String id) {
        return "<a id=\"" + id + "\"></a>";
    }

    /** The text from the type's anchor to the next anchor that starts a line. */
    private static String section(String text, ErrorType type) {
        int start = text.indexOf(anchor(type.token()));
        assertThat(start).as("anchor of %s", type.token()).isNotNegative();
        int end = text.indexOf("\n<a id=\"", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    @ParameterizedTest
    @EnumSource(ErrorType.class)
    void everyTypeHasOneAnchoredSectionWithTheFactsOfTheCode(ErrorType type) throws IOException {
        String text = catalogue();
        assertThat(text.split(java.util.regex.Pattern.quote(anchor(type.token())), -1))
                .as("exactly one anchor for %s", type.token()).hasSize(2);
        String section = section(text, type);
        assertThat(section)
                .contains("### `" + type.token() + "` — " + ErrorTexts.title(type))
                .contains("RFC 9209 §2.3." + (type.ordinal() + 1) + ")")
                .contains(String.valueOf(type.recommendedStatus()))
                .contains("`status." + type.token() + "`")
                .contains("Log phrase: `" + ErrorTexts.logPhrase(type) + "`")
                .contains("**Means**")
                .contains("**Retried**");
        assertThat(text).as("summary row of %s", type.token())
                .contains("| [`" + type.token() + "`](#" + type.token() + ") | ");
    }

    @ParameterizedTest
    @EnumSource(ErrorType.class)
    void theDefaultTypeOfEveryTokenEndsWithItsAnchorInTheCatalogue(ErrorType type) throws IOException {
        Problem problem = ProblemDetails.forFailure(null, UpstreamFailure.of(type, Phase.UNKNOWN),
                type.recommendedStatus(), null, false);

        assertThat(problem.type()).isEqualTo(GuardPolicy.DEFAULT_PROBLEM_TYPE_BASE + type.token())
                .endsWith("/docs/errors.md#" + type.token());
        assertThat(catalogue()).contains(anchor(type.token()));
    }

    @Test
    void theCatalogueStatesTheDefaultBase() throws IOException {
        assertThat(catalogue()).contains("    " + GuardPolicy.DEFAULT_PROBLEM_TYPE_BASE + "\n");
    }

    @Test
    void everyNotRetriedReasonHasItsRow() throws Exception {
        String text = catalogue();
        List<String> reasons = new ArrayList<>();
        for (Field f : RetryDecision.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                reasons.add((String) f.get(null));
            }
        }
        reasons.removeAll(List.of(RetryDecision.FAILURE, RetryDecision.TRANSPARENT, RetryDecision.STATUS));
        assertThat(reasons).contains(RetryDecision.ATTEMPTS_EXHAUSTED, RetryDecision.BUDGET_EXHAUSTED);
        for (String reason : reasons) {
            if (!RetryDecision.NOT_RETRIED_REASONS.contains(reason)) { // pass-through reasons: named, no row
                assertThat(text).contains("`" + reason + "`");
            } else {
                assertThat(text).as("row of %s", reason).contains("| " + anchor(reason) + "`" + reason + "` | ");
            }
        }
    }
}
