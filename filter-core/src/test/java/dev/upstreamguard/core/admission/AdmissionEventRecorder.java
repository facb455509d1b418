package dev.upstreamguard.core.admission;

import dev.upstreamguard.core.AdmissionEvent;
import dev.upstreamguard.core.GuardListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the admission events it is told of. */
final class AdmissionEventRecorder implements GuardListener {
    final List<AdmissionEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onAdmissionRejected(AdmissionEvent event) {
        events.add(event);
    }
}
