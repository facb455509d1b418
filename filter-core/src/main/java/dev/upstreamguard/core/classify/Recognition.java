package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;

import java.util.Map;

/**
 * What one throwable of a cause chain says, and how specific that is.
 *
 * @param failure     the verdict (its cause is filled in by the chain walker)
 * @param specificity how much this throwable says
 */
record Recognition(UpstreamFailure failure, Specificity specificity) {

    static Recognition of(Specificity specificity, ErrorType type, Phase phase, String details) {
        return new Recognition(new UpstreamFailure(type, phase, Map.of(), details, null), specificity);
    }

    static Recognition exact(ErrorType type, Phase phase, String details) {
        return of(Specificity.EXACT, type, phase, details);
    }

    static Recognition typed(ErrorType type, Phase phase, String details) {
        return of(Specificity.TYPED, type, phase, details);
    }

    /** A copy with one more RFC 9209 parameter. */
    Recognition with(String parameter, Object value) {
        return new Recognition(failure.withParameter(parameter, value), specificity);
    }

    /** A copy at another specificity. */
    Recognition at(Specificity newSpecificity) {
        return new Recognition(failure, newSpecificity);
    }
}
