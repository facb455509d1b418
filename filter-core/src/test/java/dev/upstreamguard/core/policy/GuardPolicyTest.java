package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.OriginGuardAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GuardPolicyTest {

    @ParameterizedTest
    @EnumSource(ErrorType.class)
    void defaultStatusIsTheRfcRecommendation(ErrorType type) {
        assertThat(GuardPolicy.defaults().statusFor(type)).isEqualTo(type.recommendedStatus());
    }

    @Test
    void overridesApplyToTheirTypeOnly() {
        GuardPolicy p = GuardPolicy.builder().status(ErrorType.CONNECTION_TIMEOUT, 502).build();
        assertThat(p.statusFor(ErrorType.CONNECTION_TIMEOUT)).isEqualTo(502);
        assertThat(p.statusFor(ErrorType.HTTP_RESPONSE_TIMEOUT)).isEqualTo(504);
        assertThat(p.statusOverrides()).containsOnlyKeys(ErrorType.CONNECTION_TIMEOUT);
    }

    @Test
    void fromCopiesEverything() {
        GuardPolicy p = GuardPolicy.builder().memberName("edge").status(ErrorType.DNS_ERROR, 503)
                .defaultRetryAfter(Duration.ofSeconds(3)).build();
        assertThat(GuardPolicy.from(p).build()).isEqualTo(p).hasSameHashCodeAs(p);
        assertThat(GuardPolicy.from(p).memberName("other").build()).isNotEqualTo(p);
    }

    @Test
    void settersRejectBadValuesNamingTheField() {
        GuardPolicy.Builder b = GuardPolicy.builder();
        assertThatThrownBy(() -> b.memberName("has space")).hasMessageContaining("memberName");
        assertThatThrownBy(() -> b.status(ErrorType.CONNECTION_REFUSED, 404)).hasMessageContaining("connection_refused");
        assertThatThrownBy(() -> b.status(ErrorType.CONNECTION_REFUSED, 600)).hasMessageContaining("500-599");
        assertThatThrownBy(() -> b.problemTypeBase("relative/path")).hasMessageContaining("problemTypeBase");
        assertThatThrownBy(() -> b.requestIdHeader("X:Y")).hasMessageContaining("requestIdHeader");
        assertThatThrownBy(() -> b.defaultRetryAfter(Duration.ofMillis(10))).hasMessageContaining("defaultRetryAfter");
        assertThatThrownBy(() -> new OriginGuardPolicy(true, 10, OriginGuardAction.WARN)).hasMessageContaining("headerBudget");
    }

    @Test
    void requestErrorsMayUseA4xx() {
        assertThat(GuardPolicy.builder().status(ErrorType.HTTP_REQUEST_DENIED, 451).build()
                .statusFor(ErrorType.HTTP_REQUEST_DENIED)).isEqualTo(451);
    }
}
