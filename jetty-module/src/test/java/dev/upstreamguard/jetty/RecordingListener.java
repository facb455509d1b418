package dev.upstreamguard.jetty;

import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.RetryEvent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event the guard reports, for assertions; thread-safe. */
final class RecordingListener implements GuardListener {
    final List<FailureEvent> failures = new CopyOnWriteArrayList<>();
    final List<RetryEvent> retries = new CopyOnWriteArrayList<>();
    final List<HealthEvent> health = new CopyOnWriteArrayList<>();
    final List<AdmissionEvent> admissions = new CopyOnWriteArrayList<>();

    @Override
    public void onFailure(FailureEvent event) {
        failures.add(event);
    }

    @Override
    public void onRetry(RetryEvent event) {
        retries.add(event);
    }

    @Override
    public void onHealthChange(HealthEvent event) {
        health.add(event);
    }

    @Override
    public void onAdmissionRejected(AdmissionEvent event) {
        admissions.add(event);
    }
}
