package dev.upstreamguard.core.validate;

import dev.upstreamguard.core.HeadRepair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationResultTest {

    @Test
    void okIsSharedAndEmpty() {
        assertThat(ValidationResult.OK.ok()).isTrue();
        assertThat(ValidationResult.OK.failure()).isNull();
        assertThat(ValidationResult.OK.repairs()).isEmpty();
        assertThat(ValidationResult.repaired(List.of())).isSameAs(ValidationResult.OK);
    }

    @Test
    void repairsAreCopied() {
        List<HeadRepair> repairs = new ArrayList<>(List.of(HeadRepair.drop(1, HeadRepair.RULE_DUPLICATE_CONTENT_LENGTH)));
        ValidationResult result = ValidationResult.repaired(repairs);

        repairs.clear();

        assertThat(result.ok()).isTrue();
        assertThat(result.repairs()).containsExactly(HeadRepair.drop(1, HeadRepair.RULE_DUPLICATE_CONTENT_LENGTH));
    }

    @Test
    void aRejectionCarriesItsFailure() {
        UpstreamFailure failure = UpstreamFailure.of(ErrorType.HTTP_PROTOCOL_ERROR, Phase.READ_HEAD);

        ValidationResult result = ValidationResult.rejected(failure);

        assertThat(result.ok()).isFalse();
        assertThat(result.failure()).isSameAs(failure);
        assertThat(result.repairs()).isEmpty();
        assertThatNullPointerException().isThrownBy(() -> ValidationResult.rejected(null));
    }

    @Test
    void aRepairDropsOrReplaces() {
        assertThat(HeadRepair.drop(0, HeadRepair.RULE_OBS_FOLD).dropsField()).isTrue();
        assertThat(new HeadRepair(0, "a b", HeadRepair.RULE_OBS_FOLD).dropsField()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> new HeadRepair(-1, null, HeadRepair.RULE_OBS_FOLD))
                .withMessage("fieldIndex must be >= 0, was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> new HeadRepair(0, null, null))
                .withMessage("rule must not be null");
    }
}
