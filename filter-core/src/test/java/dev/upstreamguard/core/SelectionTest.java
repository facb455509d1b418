package dev.upstreamguard.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SelectionTest {
    private static final Upstream ORDERS = Upstream.of("orders", "http://orders");

    @Test
    void anUpstreamOrNoneWithATime() {
        assertThat(Selection.of(ORDERS)).satisfies(s -> {
            assertThat(s.available()).isTrue();
            assertThat(s.retryAfter()).isZero();
        });
        assertThat(Selection.none(Duration.ofMillis(1500))).satisfies(s -> {
            assertThat(s.available()).isFalse();
            assertThat(s.upstream()).isNull();
            assertThat(s.retryAfter()).isEqualTo(Duration.ofMillis(1500));
        });
    }

    @Test
    void rejectsMixedShapes() {
        assertThatThrownBy(() -> new Selection(ORDERS, Duration.ofSeconds(1))).hasMessageContaining("retryAfter");
        assertThatThrownBy(() -> Selection.none(Duration.ZERO)).hasMessageContaining("retryAfter");
        assertThatThrownBy(() -> Selection.none(Duration.ofSeconds(-1))).hasMessageContaining("retryAfter");
        assertThatThrownBy(() -> Selection.of(null)).hasMessageContaining("upstream");
    }
}
