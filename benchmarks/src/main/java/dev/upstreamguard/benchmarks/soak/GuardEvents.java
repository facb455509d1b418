package dev.upstreamguard.benchmarks.soak;

import dev.upstreamguard.core.BackendFailureEvent;
import dev.upstreamguard.core.FailureEvent;
import dev.upstreamguard.core.GuardListener;
import dev.upstreamguard.core.HealthEvent;
import dev.upstreamguard.core.RetryEvent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the guard's limit-backend failure decisions (fail mode; and when the last one was), its retry decisions
 * and its passive-health changes.
 */
final class GuardEvents implements GuardListener {
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong last = new AtomicLong();
    private final Map<String, AtomicInteger> byMode = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> retries = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> health = new ConcurrentHashMap<>();

    private final List<String> internalErrors = new CopyOnWriteArrayList<>();

    /** Keeps the first five failures answered 500 (an internal error: a cause the guard did not recognise). */
    @Override
    public void onFailure(FailureEvent event) {
        if (event.status() == 500 && internalErrors.size() < 5) {
            Throwable cause = event.failure().cause();
            StringBuilder b = new StringBuilder(String.valueOf(event.failure()));
            for (Throwable t = cause; t != null && b.length() < 4000; t = t.getCause()) {
                b.append(" | cause: ").append(t);
                int shown = 0;
                for (StackTraceElement frame : t.getStackTrace()) { // the first two frames, then Jetty's and ours
                    boolean ours = frame.getClassName().startsWith("dev.upstreamguard")
                            || frame.getClassName().startsWith("org.eclipse.jetty");
                    if (shown < 2 || (ours && shown < 14)) {
                        b.append(" at ").append(frame);
                        shown++;
                    }
                }
            }
            internalErrors.add(b.toString());
        }
    }

    /** The first internal errors (500) the guard answered, with their causes. */
    List<String> internalErrors() {
        return List.copyOf(internalErrors);
    }

    @Override
    public void onRetry(RetryEvent event) {
        retries.computeIfAbsent(event.outcome().tag() + " " + event.reason(), k -> new AtomicInteger()).incrementAndGet();
    }

    private final long created = System.nanoTime();
    private final List<String> healthTimeline = new CopyOnWriteArrayList<>();

    @Override
    public void onHealthChange(HealthEvent event) {
        health.computeIfAbsent(event.kind().tag() + " " + event.upstreamId(), k -> new AtomicInteger()).incrementAndGet();
        if (healthTimeline.size() < 20) {
            healthTimeline.add(String.format("%.1fs %s %s", (System.nanoTime() - created) / 1e9, event.kind().tag(),
                    event.upstreamId()));
        }
    }

    /** The first passive-health changes, with seconds since the packaging started. */
    List<String> healthTimeline() {
        return List.copyOf(healthTimeline);
    }

    /** Retry decisions by outcome and reason. */
    Map<String, Integer> retries() {
        return snapshot(retries);
    }

    /** Passive-health changes by kind and upstream. */
    Map<String, Integer> health() {
        return snapshot(health);
    }

    private static Map<String, Integer> snapshot(Map<String, AtomicInteger> m) {
        Map<String, Integer> copy = new TreeMap<>();
        m.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    @Override
    public void onBackendFailure(BackendFailureEvent event) {
        count.incrementAndGet();
        last.set(System.nanoTime());
        byMode.computeIfAbsent(event.mode() + " " + event.operation() + " " + causeOf(event.cause()), k -> new AtomicInteger()).incrementAndGet();
    }

    private static String causeOf(Throwable cause) {
        return cause == null ? "-" : cause.getClass().getSimpleName();
    }

    int count() {
        return count.get();
    }

    long lastNanos() {
        return last.get();
    }

    Map<String, Integer> byMode() {
        return snapshot(byMode);
    }
}
