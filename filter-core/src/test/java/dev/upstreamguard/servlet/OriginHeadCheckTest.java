package dev.upstreamguard.servlet;

import dev.upstreamguard.core.OriginGuardAction;
import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.policy.OriginGuardPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OriginHeadCheckTest {
    private final OriginHeadCheck check = new OriginHeadCheck(new OriginGuardPolicy(true, 1024, OriginGuardAction.STRIP));

    @Test
    void aTypicalHeadIsClean() {
        OriginHeadReport r = check.inspect(ResponseHead.of(200, null, "Content-Type", "text/html", "Content-Length", "12"));
        assertThat(r.clean()).isTrue();
        assertThat(r.sectionSize()).isEqualTo("HTTP/1.1 200 Internal Server Error\r\n".length()
                + "Content-Type: text/html\r\n".length() + "Content-Length: 12\r\n".length() + 2);
    }

    @Test
    void overBudgetStripsTheLargestRemovableFieldsFirst() {
        ResponseHead head = ResponseHead.of(200, null,
                "Content-Type", "x".repeat(600),
                "X-Debug", "d".repeat(500),
                "X-Small", "s".repeat(100),
                "X-Trace", "t".repeat(300));
        OriginHeadReport r = check.inspect(head);
        assertThat(r.overBudget()).isTrue();
        assertThat(r.illegalFields()).isEmpty();
        assertThat(r.fieldsToStrip()).containsExactly(1, 3);
        assertThat(r.sizeAfterStrip()).isLessThanOrEqualTo(1024);
    }

    @Test
    void illegalCharactersAndNamesAreFoundAndStrippedFirst() {
        ResponseHead head = ResponseHead.of(200, null,
                "X-Ok", "fine\tvalue",
                "X-Split", "a\r\nSet-Cookie: evil=1",
                "Bad Name", "v",
                "X-Nul", "a\0b");
        OriginHeadReport r = check.inspect(head);
        assertThat(r.overBudget()).isFalse();
        assertThat(r.illegalFields()).containsExactly(1, 2, 3);
        assertThat(r.fieldsToStrip()).containsExactly(1, 2, 3);
        assertThat(r.clean()).isFalse();
    }

    @Test
    void protectedFieldsAreNeverStripped() {
        ResponseHead head = ResponseHead.of(200, null, "Location", "/" + "l".repeat(2000));
        OriginHeadReport r = check.inspect(head);
        assertThat(r.overBudget()).isTrue();
        assertThat(r.fieldsToStrip()).isEmpty();
        assertThat(r.sizeAfterStrip()).isGreaterThan(1024);
    }
}
