package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;

/**
 * Extension point: turns a throwable raised while talking to an upstream into an RFC 9209 verdict
 * (RFC 9209 §2.3 lists the error types).
 *
 * <p>Implementations must be fast, thread-safe and must never throw. Compose custom classifiers in
 * front of the built-in ones with {@link FailureClassifiers#compose(FailureClassifier...)}.
 */
@FunctionalInterface
public interface FailureClassifier {

    /**
     * Classifies one failure.
     *
     * @param failure  the throwable the upstream client raised (possibly a wrapper of the real cause)
     * @param observed what the integration knows about the progress of the exchange when it failed
     *                 ({@link Phase#UNKNOWN} when it knows nothing)
     * @return the verdict, or {@code null} when this classifier does not recognise the throwable
     */
    UpstreamFailure classify(Throwable failure, Phase observed);
}
