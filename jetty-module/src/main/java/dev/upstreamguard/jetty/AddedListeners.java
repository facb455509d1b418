package dev.upstreamguard.jetty;

import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.AttemptEvent;
import dev.upstreamguard.core.BackendFailureEvent;
import dev.upstreamguard.core.CircuitEvent;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.GuardListeners;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.OriginHeaderEvent;
import dev.upstreamguard.core.PanicEvent;
import dev.upstreamguard.core.RetryEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * The listeners that Jetty XML of a later module (such as {@code upstream-guard-metrics}) adds to a guard
 * the module built earlier: the guard's listeners are fixed when it is built, so the module's guard gets this
 * one, which forwards every event to what was added ({@link GuardListeners#of}: one that throws does not
 * silence the others). Adding happens while Jetty is configured, before any request.
 */
final class AddedListeners implements GuardListener {
    private final List<GuardListener> added = new ArrayList<>();
    private volatile GuardListener delegate = GuardListeners.none();

    synchronized void add(GuardListener listener) {
        added.add(listener);
        delegate = GuardListeners.of(added);
    }

    @Override
    public void onFailure(FailureEvent event) {
        delegate.onFailure(event);
    }

    @Override
    public void onOriginHeaderViolation(OriginHeaderEvent event) {
        delegate.onOriginHeaderViolation(event);
    }

    @Override
    public void onRetry(RetryEvent event) {
        delegate.onRetry(event);
    }

    @Override
    public void onHealthChange(HealthEvent event) {
        delegate.onHealthChange(event);
    }

    @Override
    public void onPanicChange(PanicEvent event) {
        delegate.onPanicChange(event);
    }

    @Override
    public void onCircuitChange(CircuitEvent event) {
        delegate.onCircuitChange(event);
    }

    @Override
    public void onAdmissionRejected(AdmissionEvent event) {
        delegate.onAdmissionRejected(event);
    }

    @Override
    public void onBackendFailure(BackendFailureEvent event) {
        delegate.onBackendFailure(event);
    }

    @Override
    public void onAttempt(AttemptEvent event) {
        delegate.onAttempt(event);
    }

    @Override
    public String toString() {
        return "AddedListeners" + added;
    }
}
