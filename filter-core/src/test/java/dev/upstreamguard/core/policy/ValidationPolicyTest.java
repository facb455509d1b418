package dev.upstreamguard.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValidationPolicyTest {

    private static final ObsFoldHandling FOLD = ObsFoldHandling.REJECT;
    private static final ContentLengthWithTransferEncoding TE_CL = ContentLengthWithTransferEncoding.REJECT;

    @Test
    void defaultsAreStrict() {
        ValidationPolicy defaults = ValidationPolicy.defaults();

        assertThat(defaults).isEqualTo(new ValidationPolicy(8192, 32768, 256, FOLD, TE_CL));
        assertThat(defaults.maxHeaderSize()).isEqualTo(ValidationPolicy.DEFAULT_MAX_HEADER_SIZE);
        assertThat(defaults.maxHeaderSectionSize()).isEqualTo(ValidationPolicy.DEFAULT_MAX_HEADER_SECTION_SIZE);
        assertThat(defaults.maxHeaderCount()).isEqualTo(ValidationPolicy.DEFAULT_MAX_HEADER_COUNT);
        assertThat(defaults.obsFold()).isEqualTo(ObsFoldHandling.REJECT);
        assertThat(defaults.contentLengthWithTransferEncoding()).isEqualTo(ContentLengthWithTransferEncoding.REJECT);
    }

    static Stream<Arguments> invalidPolicies() {
        return Stream.of(
                Arguments.of(15, 32768, 256, FOLD, TE_CL, "maxHeaderSize must be between 16 and 1048576, was 15"),
                Arguments.of(-1, 32768, 256, FOLD, TE_CL, "maxHeaderSize must be between 16 and 1048576, was -1"),
                Arguments.of(1048577, 16777216, 256, FOLD, TE_CL,
                        "maxHeaderSize must be between 16 and 1048576, was 1048577"),
                Arguments.of(8192, 4096, 256, FOLD, TE_CL,
                        "maxHeaderSectionSize must be between 8192 and 16777216, was 4096"),
                Arguments.of(8192, 16777217, 256, FOLD, TE_CL,
                        "maxHeaderSectionSize must be between 8192 and 16777216, was 16777217"),
                Arguments.of(8192, 32768, 0, FOLD, TE_CL, "maxHeaderCount must be between 1 and 10000, was 0"),
                Arguments.of(8192, 32768, 10001, FOLD, TE_CL, "maxHeaderCount must be between 1 and 10000, was 10001"),
                Arguments.of(8192, 32768, 256, null, TE_CL,
                        "obsFold must be one of [REJECT, REPLACE_WITH_SPACE], was null"),
                Arguments.of(8192, 32768, 256, FOLD, null,
                        "contentLengthWithTransferEncoding must be one of [REJECT, DROP_CONTENT_LENGTH], was null"));
    }

    @ParameterizedTest(name = "{5}")
    @MethodSource("invalidPolicies")
    void rejectsBadValuesNamingTheFieldAndTheAcceptedRange(int maxHeaderSize, int maxHeaderSectionSize,
                                                           int maxHeaderCount, ObsFoldHandling obsFold,
                                                           ContentLengthWithTransferEncoding teWithCl,
                                                           String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ValidationPolicy(maxHeaderSize, maxHeaderSectionSize, maxHeaderCount, obsFold,
                        teWithCl))
                .withMessage(message);
    }

    @Test
    void acceptsTheEdgesOfEachRange() {
        assertThat(new ValidationPolicy(16, 16, 1, FOLD, TE_CL).maxHeaderSectionSize()).isEqualTo(16);
        assertThat(new ValidationPolicy(1048576, 16777216, 10000, ObsFoldHandling.REPLACE_WITH_SPACE,
                ContentLengthWithTransferEncoding.DROP_CONTENT_LENGTH).maxHeaderCount()).isEqualTo(10000);
    }
}
