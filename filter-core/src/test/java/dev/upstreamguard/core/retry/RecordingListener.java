package dev.upstreamguard.core.retry;

import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.RetryEvent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the retry events it receives. */
final class RecordingListener implements GuardListener {
    final List<RetryEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onRetry(RetryEvent event) {
        events.add(event);
    }

    RetryEvent only() {
        if (events.size() != 1) {
            throw new AssertionError("expected one event, got " + events);
        }
        return events.get(0);
    }
}
