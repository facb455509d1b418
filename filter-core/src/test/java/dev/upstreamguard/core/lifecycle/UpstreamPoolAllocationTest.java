package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.GuardListeners;
import dev.upstreamguard.core.Selection;
import dev.upstreamguard.core.policy.PassiveHealthPolicy;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The per-request path — select and a successful answer — allocates nothing. */
class UpstreamPoolAllocationTest {
    private static final int CALLS = 200_000;

    @Test
    void selectAndSuccessAllocateNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        HealthFixtures.FakeClock clock = new HealthFixtures.FakeClock();
        UpstreamPool pool = new UpstreamPool("r", HealthFixtures.upstreams(3), PassiveHealthPolicy.defaults(), clock,
                GuardListeners.none());
        List<String> none = List.of();
        List<String> tried = List.of("u1");
        run(pool, none, tried, CALLS); // warm up

        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        run(pool, none, tried, CALLS);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(allocated).as("bytes allocated by %d selections and answers", 2 * CALLS).isLessThan(4096);
    }

    private static void run(UpstreamPool pool, List<String> none, List<String> tried, int calls) {
        for (int i = 0; i < calls; i++) {
            Selection s = pool.select((i & 1) == 0 ? none : tried);
            pool.onResponse(s.upstream(), 200);
        }
    }
}
