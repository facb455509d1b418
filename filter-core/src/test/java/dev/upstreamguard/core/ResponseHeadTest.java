package dev.upstreamguard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.AbstractMap.SimpleEntry;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseHeadTest {

    @Test
    void namesAndValuesAlternate() {
        ResponseHead head = ResponseHead.of(404, "Not Found", "A", "1", "a", "2");

        assertThat(head.status()).isEqualTo(404);
        assertThat(head.reason()).isEqualTo("Not Found");
        assertThat(head.fieldCount()).isEqualTo(2);
        assertThat(head.fieldName(1)).isEqualTo("a");
        assertThat(head.fieldValue(1)).isEqualTo("2");
    }

    @Test
    void aListOfPairsKeepsOrderAndDuplicates() {
        ResponseHead head = ResponseHead.of(200, null, List.of(Map.entry("B", "1"), Map.entry("A", "2"), Map.entry("B", "3")));

        assertThat(head.reason()).isNull();
        assertThat(head.fieldCount()).isEqualTo(3);
        assertThat(head.fieldName(2)).isEqualTo("B");
        assertThat(head.fieldValue(2)).isEqualTo("3");
    }

    @Test
    void theArrayIsCopied() {
        String[] fields = {"A", "1"};
        ResponseHead head = ResponseHead.of(200, "OK", fields);

        fields[1] = "changed";

        assertThat(head.fieldValue(0)).isEqualTo("1");
    }

    @Test
    void anOddCountIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> ResponseHead.of(200, "OK", "A", "1", "B"))
                .withMessageContaining("odd count 3");
    }

    @Test
    void nullsAreRejected() {
        assertThatNullPointerException().isThrownBy(() -> ResponseHead.of(200, "OK", "A", null))
                .withMessage("field 0 has a null value");
        assertThatNullPointerException().isThrownBy(
                () -> ResponseHead.of(200, "OK", Arrays.asList(Map.entry("A", "1"), new SimpleEntry<>(null, "2"))))
                .withMessage("field 1 has a null name");
        assertThatNullPointerException().isThrownBy(
                () -> ResponseHead.of(200, "OK", Arrays.asList(Map.entry("A", "1"), null)))
                .withMessage("field 1 is null");
    }

    @Test
    void toStringShowsNoValues() {
        assertThat(ResponseHead.of(200, "OK", "Set-Cookie", "secret").toString())
                .isEqualTo("ResponseHead[200 OK, 1 fields]");
    }
}
