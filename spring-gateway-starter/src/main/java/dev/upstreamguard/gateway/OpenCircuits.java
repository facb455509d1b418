package dev.upstreamguard.gateway;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long each resilience4j circuit breaker of the gateway's {@code CircuitBreaker} filter stays open, so
 * that the answer to a call it refused ({@link CallNotPermittedException}) carries a {@code Retry-After}:
 * resilience4j's wait in the open state (its {@code waitIntervalFunctionInOpenState} for this opening)
 * minus the time since the circuit opened, rounded up by the core, at least 1 s.
 *
 * <p>resilience4j does not expose when an open circuit will let calls through again, so the time of each
 * transition to {@code OPEN} is recorded from the breaker's events, on the breaker's own clock. A circuit
 * that opened before it was tracked, or was forced open ({@code FORCED_OPEN} has no end), has no known
 * end: {@code null}, and the core's {@code retry-after.default} applies.
 */
public final class OpenCircuits {

    /** When a circuit last opened and how many times in a row it opened (resilience4j's attempts). */
    private record Opening(Instant at, int attempts) {
    }

    private final Map<String, Opening> openings = new ConcurrentHashMap<>();
    private final Set<CircuitBreaker> tracked = ConcurrentHashMap.newKeySet();

    /** Follows every circuit breaker of {@code registry}, those it will create and those it holds. */
    public void track(CircuitBreakerRegistry registry) {
        registry.getEventPublisher().onEntryAdded(event -> track(event.getAddedEntry()));
        registry.getEventPublisher().onEntryReplaced(event -> track(event.getNewEntry()));
        registry.getAllCircuitBreakers().forEach(this::track);
    }

    /** Follows {@code breaker}'s transitions (once, however often it is passed). */
    public void track(CircuitBreaker breaker) {
        if (!tracked.add(breaker)) {
            return;
        }
        breaker.getEventPublisher().onStateTransition(event -> transition(breaker, event));
        if (breaker.getState() == CircuitBreaker.State.OPEN) {
            openings.putIfAbsent(breaker.getName(), new Opening(null, 1)); // opened before: end unknown
        }
    }

    private void transition(CircuitBreaker breaker, CircuitBreakerOnStateTransitionEvent event) {
        CircuitBreaker.StateTransition transition = event.getStateTransition();
        if (transition.getToState() != CircuitBreaker.State.OPEN) {
            if (transition.getToState() != CircuitBreaker.State.HALF_OPEN) {
                openings.remove(breaker.getName()); // closed, disabled, forced: a later opening starts again at 1
            }
            return;
        }
        Instant now = breaker.getCircuitBreakerConfig().getClock().instant();
        Opening previous = openings.get(breaker.getName());
        int attempts = transition.getFromState() == CircuitBreaker.State.HALF_OPEN && previous != null
                ? previous.attempts() + 1 : 1;
        openings.put(breaker.getName(), new Opening(now, attempts));
    }

    /**
     * The time until the circuit that refused {@code error} lets a call through again (at least 1 ms), or
     * {@code null} when {@code error} is not a refused call of a tracked breaker or the end is not known.
     */
    public Duration retryAfter(Throwable error, CircuitBreakerRegistry registry) {
        if (!(error instanceof CallNotPermittedException refused) || registry == null) {
            return null;
        }
        String name = refused.getCausingCircuitBreakerName();
        Opening opening = name == null ? null : openings.get(name);
        CircuitBreaker breaker = opening == null || opening.at() == null ? null
                : registry.find(name).orElse(null);
        if (breaker == null || breaker.getState() != CircuitBreaker.State.OPEN) {
            return null;
        }
        Long waitMillis = breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(opening.attempts());
        if (waitMillis == null) {
            return null;
        }
        Instant now = breaker.getCircuitBreakerConfig().getClock().instant();
        Duration left = Duration.between(now, opening.at().plusMillis(waitMillis));
        return left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
    }
}
