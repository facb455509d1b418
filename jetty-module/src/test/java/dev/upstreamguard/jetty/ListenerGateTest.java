package dev.upstreamguard.jetty;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
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

    /**
     * The proxy holds the gate for every response head while the core decides about it; for a 200 the decision
     * is already made, so nothing is submitted while held. Such a hold must not allocate the queue (it did: an
     * {@code ArrayDeque} of 112 bytes per request under load).
     */
    @Test
    void aHoldWithNothingSubmittedMeanwhileAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int rounds = 20_000;
        holdAndRelease(rounds); // warm-up: class loading and the first compilations allocate
        long before = threads.getThreadAllocatedBytes(thread);
        holdAndRelease(rounds);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // the gate itself is 16-24 bytes; its queue would add 112 (an ArrayDeque and its 17 slots)
        assertThat(allocated).as("bytes allocated by %d gates held and released", rounds).isLessThan(rounds * 64L);
    }

    private static void holdAndRelease(int rounds) {
        for (int i = 0; i < rounds; i++) {
            ListenerGate fresh = new ListenerGate(); // a gate per response, as in the proxy
            fresh.hold();
            fresh.release();
        }
    }
}
