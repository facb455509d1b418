package dev.upstreamguard.core.events;

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
                for (GuardListener l : copy) {
                    try {
                        l.onFailure(event);
                    } catch (RuntimeException | LinkageError ex) {
                        LOG.debug("GuardListener {} threw from onFailure", l, ex);
                    }
                }
            }

            @Override
            public void onOriginHeaderViolation(OriginHeaderEvent event) {
                for (GuardListener l : copy) {
                    try {
                        l.onOriginHeaderViolation(event);
                    } catch (RuntimeException | LinkageError ex) {
                        LOG.debug("GuardListener {} threw from onOriginHeaderViolation", l, ex);
                    }
                }
            }
        };
    }
}
