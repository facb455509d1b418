package dev.upstreamguard.core.diagnostics;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.StructuredFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The core vocabulary ({@link ErrorType}) checked against the published RFC 9209 §2.3. */
class Rfc9209ErrorTypeTest {

    @Test
    void everyRfcTypeIsAConstantAndNoConstantIsInvented() {
        assertThat(Arrays.stream(ErrorType.values()).map(ErrorType::token).collect(Collectors.toSet()))
                .isEqualTo(Rfc9209.ERROR_TYPES.keySet());
    }

    @ParameterizedTest
    @EnumSource(ErrorType.class)
    void recommendedStatusAndExtraParametersMatchTheRfc(ErrorType type) {
        Rfc9209.ErrorTypeRow row = Rfc9209.ERROR_TYPES.get(type.token());

        assertThat(type.extraParameters()).isEqualTo(row.extraParameters());
        if (row.recommendedStatus() != null) {
            assertThat(type.recommendedStatus()).isEqualTo(row.recommendedStatus());
        } else {
            // "the applicable 4xx status code" / "the most appropriate status code": ours is a fallback
            assertThat(type.recommendedStatus()).isBetween(400, 599);
        }
        assertThat(StructuredFields.isToken(type.token())).isTrue();
    }
}
