package dev.upstreamguard.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Composes listeners so that one that throws neither breaks the request nor silences the others. */
public final class GuardListeners {
    private static final Logger LOG = LoggerFactory.getLogger(GuardListeners.class);
    private static final GuardListener NONE = new GuardListener() {
    };

    private GuardListeners() {
    }

    /** A listener that does nothing. */
    public static GuardListener none() {
        return NONE;
    }

    /** One listener calling each of {@code listeners} in order; exceptions are logged at DEBUG and dropped. */
    public static GuardListener of(List<? extends GuardListener> listeners) {
        List<GuardListener> copy = List.copyOf(listeners);
        if (copy.isEmpty()) {
            return NONE;
        }
        return new GuardListener() {
            @Override
            public void onFailure(FailureEvent event) {
                each(copy, l -> l.onFailure(event), "onFailure");
            }

            @Override
            public void onOriginHeaderViolation(OriginHeaderEvent event) {
                each(copy, l -> l.onOriginHeaderViolation(event), "onOriginHeaderViolation");
            }

            @Override
            public void onRetry(RetryEvent event) {
                each(copy, l -> l.onRetry(event), "onRetry");
            }

            @Override
            public void onHealthChange(HealthEvent event) {
                each(copy, l -> l.onHealthChange(event), "onHealthChange");
            }

            @Override
            public void onPanicChange(PanicEvent event) {
                each(copy, l -> l.onPanicChange(event), "onPanicChange");
            }

            @Override
            public void onCircuitChange(CircuitEvent event) {
                each(copy, l -> l.onCircuitChange(event), "onCircuitChange");
            }

            @Override
            public void onAdmissionRejected(AdmissionEvent event) {
                each(copy, l -> l.onAdmissionRejected(event), "onAdmissionRejected");
            }

            @Override
            public void onBackendFailure(BackendFailureEvent event) {
                each(copy, l -> l.onBackendFailure(event), "onBackendFailure");
            }

            @Override
            public void onAttempt(AttemptEvent event) {
                each(copy, l -> l.onAttempt(event), "onAttempt");
            }
        };
    }

    private static void each(List<GuardListener> listeners, java.util.function.Consumer<GuardListener> call, String method) {
        for (GuardListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException | LinkageError ex) {
                LOG.debug("GuardListener {} threw from {}", l, method, ex);
            }
        }
    }
}
