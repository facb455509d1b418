package dev.upstreamguard.core.events;

/**
 * Receives what the guard observed. Implementations must be fast, must not block, must not throw and
 * must not call back into the guard: they run on the request's thread (an event loop in reactive
 * gateways). {@link GuardListeners#of} isolates listeners that break the contract anyway.
 */
public interface GuardListener {

    /** An upstream failure was answered (or the response aborted), or an upstream 5xx passed through. */
    default void onFailure(FailureEvent event) {
    }

    /** This application's own response head would be refused by the proxy in front of it. */
    default void onOriginHeaderViolation(OriginHeaderEvent event) {
    }
}
