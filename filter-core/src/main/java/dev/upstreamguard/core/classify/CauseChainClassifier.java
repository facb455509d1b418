package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;

import java.util.Map;

/**
 * Walks a throwable's cause chain (cycle-safe, at most {@link #MAX_DEPTH} links, suppressed exceptions
 * ignored), asks the rule table about every link, and keeps the most specific recognition; among
 * equally specific ones the outermost wins. Extra parameters that deeper links of the same error type
 * know (e.g. the DNS {@code rcode} under an {@code UnknownHostException}) are added to the winner.
 * The verdict's cause is the throwable that was classified.
 */
final class CauseChainClassifier implements FailureClassifier {

    static final int MAX_DEPTH = 16;

    private final RuleTable rules;

    CauseChainClassifier(RuleTable rules) {
        this.rules = rules;
    }

    @Override
    public UpstreamFailure classify(Throwable failure, Phase observed) {
        if (failure == null) {
            return null;
        }
        try {
            return classifyChain(failure, observed == null ? Phase.UNKNOWN : observed);
        } catch (RuntimeException | LinkageError e) {
            return null; // a classifier never throws; the caller falls back to proxy_internal_error
        }
    }

    private UpstreamFailure classifyChain(Throwable root, Phase observed) {
        Throwable[] chain = CauseChain.of(root, MAX_DEPTH);
        Recognition[] found = new Recognition[chain.length];
        int best = -1;
        for (int i = 0; i < chain.length; i++) {
            found[i] = rules.ruleFor(chain[i]).recognise(chain[i], observed);
            if (found[i] != null && (best < 0 || found[i].specificity().compareTo(found[best].specificity()) > 0)) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        Recognition winner = found[best];
        if (winner.specificity() == Specificity.VERDICT) {
            return winner.failure();
        }
        UpstreamFailure result = winner.failure();
        for (Recognition other : found) {
            if (other != null && other != winner && other.failure().type() == result.type()) {
                result = addMissingParameters(result, other.failure().parameters());
            }
        }
        return result.withCause(root);
    }

    private static UpstreamFailure addMissingParameters(UpstreamFailure failure, Map<String, Object> more) {
        UpstreamFailure result = failure;
        for (Map.Entry<String, Object> parameter : more.entrySet()) {
            if (!result.parameters().containsKey(parameter.getKey())) {
                result = result.withParameter(parameter.getKey(), parameter.getValue());
            }
        }
        return result;
    }
}
