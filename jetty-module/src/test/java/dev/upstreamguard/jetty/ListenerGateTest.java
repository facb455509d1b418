package dev.upstreamguard.jetty;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ListenerGateTest {
    private final ListenerGate gate = new ListenerGate();
    private final List<String> ran = new ArrayList<>();

    @Test
    void anOpenGateRunsCallsAtOnce() {
        gate.submit(() -> ran.add("content"));

        assertThat(ran).containsExactly("content");
    }

    @Test
    void aHeldGateRunsItsCallsInOrderOnRelease() {
        gate.hold();
        gate.submit(() -> ran.add("content"));
        gate.submit(() -> ran.add("success"));
        assertThat(ran).isEmpty();

        gate.release();
        gate.submit(() -> ran.add("complete"));

        assertThat(ran).containsExactly("content", "success", "complete");
    }

    @Test
    void aCallSubmittedWhileReleasingQueuesBehindTheHeldOnes() {
        gate.hold();
        gate.submit(() -> {
            ran.add("first");
            gate.submit(() -> ran.add("submitted while releasing"));
        });
        gate.submit(() -> ran.add("second"));

        gate.release();

        assertThat(ran).containsExactly("first", "second", "submitted while releasing");
    }

    @Test
    void theGateIsOpenUntilHeldAndAgainAfterRelease() {
        assertThat(gate.isOpen()).isTrue();
        gate.release(); // a release without a hold is harmless
        assertThat(gate.isOpen()).isTrue();

        gate.hold();
        assertThat(gate.isOpen()).isFalse();
        gate.release();

        assertThat(gate.isOpen()).isTrue();
    }
}
