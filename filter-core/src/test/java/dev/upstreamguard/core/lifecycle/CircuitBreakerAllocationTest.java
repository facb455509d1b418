package dev.upstreamguard.core.lifecycle;

import dev.upstreamguard.core.lifecycle.UpstreamGuard;
import dev.upstreamguard.core.GuardListeners;
import dev.upstreamguard.core.policy.CircuitBreakerPolicy;
import dev.upstreamguard.core.policy.GuardPolicy;
import dev.upstreamguard.core.ResponseHead;
import dev.upstreamguard.core.ValidationContext;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A closed circuit costs the success path nothing: no allocation in the breaker, none added to a request. */
class CircuitBreakerAllocationTest {
    private static final int CALLS = 200_000;
    private static final ResponseHead OK = ResponseHead.of(200, "OK", "Content-Length", "0");
    private static final ClientRequest GET = ClientRequest.of("GET", "203.0.113.7", new ClientRequest.Headers() {
        @Override
        public String first(String name) {
            return null;
        }

        @Override
        public List<String> all(String name) {
            return List.of();
        }
    });

    private static com.sun.management.ThreadMXBean threads() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        return threads;
    }

    @Test
    void admittingAndSucceedingWhileClosedAllocateNothing() {
        com.sun.management.ThreadMXBean threads = threads();
        CircuitBreaker breaker = new CircuitBreaker("r", CircuitBreakerPolicy.enabledDefaults(), System::nanoTime,
                GuardListeners.none());
        for (int i = 0; i < CALLS; i++) {
            breaker.onOutcome(breaker.admit(), CircuitBreaker.Outcome.SUCCESS); // warm up
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < CALLS; i++) {
            breaker.onOutcome(breaker.admit(), CircuitBreaker.Outcome.SUCCESS);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(allocated).as("bytes allocated by %d admissions and successes", CALLS).isLessThan(4096);
    }

    @Test
    void aRequestOnARouteWithAClosedCircuitAllocatesNoMoreThanWithoutTheBreaker() {
        com.sun.management.ThreadMXBean threads = threads();
        RouteGuard off = route(GuardPolicy.defaults());
        RouteGuard on = route(GuardPolicy.builder().circuitBreaker(CircuitBreakerPolicy.enabledDefaults()).build());
        perRequest(threads, off); // warm up both
        perRequest(threads, on);

        long withoutBreaker = perRequest(threads, off);
        long withBreaker = perRequest(threads, on);

        System.out.printf("bytes per request: without the breaker %d, with a closed circuit %d%n", withoutBreaker,
                withBreaker);
        assertThat(withBreaker).as("bytes per request with a closed circuit (without the breaker: %d)", withoutBreaker)
                .isLessThanOrEqualTo(withoutBreaker + 8);
    }

    private static RouteGuard route(GuardPolicy policy) {
        UpstreamGuard guard = UpstreamGuard.builder().policy(policy).logFailures(false).build();
        return RouteGuard.builder("api", guard).responseTimeout(Duration.ofSeconds(30))
                .upstreams(List.of(URI.create("http://127.0.0.1:8081"))).build();
    }

    /** Average bytes allocated by one request's success path on {@code route}. */
    private static long perRequest(com.sun.management.ThreadMXBean threads, RouteGuard route) {
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < CALLS; i++) {
            GuardedExchange exchange = route.exchange(GET);
            exchange.admit();
            exchange.nextAttempt();
            exchange.requestSending();
            exchange.onHead(OK, ValidationContext.DEFAULT, List.of(), null);
            exchange.complete();
        }
        return (threads.getThreadAllocatedBytes(thread) - before) / CALLS;
    }
}
