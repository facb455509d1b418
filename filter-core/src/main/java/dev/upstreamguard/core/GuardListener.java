package dev.upstreamguard.core;

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

    /** A retry was scheduled, or refused (by the budget or for safety). */
    default void onRetry(RetryEvent event) {
    }

    /** Passive health ejected an upstream, or restored it. */
    default void onHealthChange(HealthEvent event) {
    }

    /** A route entered or left panic mode: too few upstreams in rotation, so all take traffic. */
    default void onPanicChange(PanicEvent event) {
    }

    /** A route's opt-in circuit breaker opened, became half-open, or closed. */
    default void onCircuitChange(CircuitEvent event) {
    }

    /** A request was refused before any upstream was tried (rate limit, concurrency limit, none healthy). */
    default void onAdmissionRejected(AdmissionEvent event) {
    }

    /** An attempt on an upstream ended with a response head, or failed before one. */
    default void onAttempt(AttemptEvent event) {
    }

    /** A shared limit backend failed and the configured failure mode decided. */
    default void onBackendFailure(BackendFailureEvent event) {
    }
}
