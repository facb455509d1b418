package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * The built-in classification of upstream failures into RFC 9209 §2.3 error types, and composition of
 * custom classifiers in front of it.
 *
 * <p>The built-ins know the exceptions of the JDK ({@code java.net}, {@code java.net.http},
 * {@code javax.net.ssl}), Jetty 12's client, Netty and Reactor Netty, Spring Cloud Gateway, Apache
 * HttpClient 5, OkHttp, Spring's {@code RestClient} / {@code RestTemplate} / {@code WebClient} and
 * resilience4j's circuit breaker, bulkhead and rate limiter, all recognised by fully-qualified class name
 * (walking the superclasses), so none of those libraries is needed at run time. They go by exception type and cause chain; a message
 * is read only where a library gives no other signal.
 */
public final class FailureClassifiers {

    /** The {@code details} of a failure no classifier recognised. */
    public static final String UNRECOGNISED = "unrecognised failure while proxying to upstream";

    private static final FailureClassifier DEFAULTS = new CauseChainClassifier(builtInRules());

    private FailureClassifiers() {
    }

    /**
     * All built-in classifiers, composed, walking the cause chain (at most 16 links, cycle-safe) and
     * choosing its most specific recognition. Returns {@code null} for throwables none of them knows.
     */
    public static FailureClassifier defaults() {
        return DEFAULTS;
    }

    /**
     * A classifier that asks each given classifier in order and returns the first non-null verdict; put
     * custom classifiers before {@link #defaults()}. A member that throws counts as not recognising.
     *
     * @param classifiers the classifiers, first asked first; none may be {@code null}
     */
    public static FailureClassifier compose(FailureClassifier... classifiers) {
        FailureClassifier[] members = Arrays.copyOf(Objects.requireNonNull(classifiers, "classifiers"), classifiers.length);
        for (int i = 0; i < members.length; i++) {
            Objects.requireNonNull(members[i], "classifiers[" + i + "]");
        }
        return (failure, observed) -> {
            for (FailureClassifier member : members) {
                UpstreamFailure verdict = classifyQuietly(member, failure, observed);
                if (verdict != null) {
                    return verdict;
                }
            }
            return null;
        };
    }

    /**
     * Classifies with {@code classifier} and never returns {@code null}: an unrecognised throwable
     * becomes {@code proxy_internal_error} (RFC 9209 §2.3.30) in the observed phase. The result's cause
     * is {@code failure} unless the classifier already kept one.
     *
     * @param classifier the classifier to ask
     * @param failure    the throwable to classify
     * @param observed   what the integration knows about the exchange's progress ({@code null} = unknown)
     */
    public static UpstreamFailure classifyOrInternal(FailureClassifier classifier, Throwable failure, Phase observed) {
        Phase phase = observed == null ? Phase.UNKNOWN : observed;
        UpstreamFailure verdict = classifier == null ? null : classifyQuietly(classifier, failure, phase);
        if (verdict == null) {
            return new UpstreamFailure(ErrorType.PROXY_INTERNAL_ERROR, phase, Map.of(), UNRECOGNISED, failure);
        }
        return verdict.cause() == null && failure != null ? verdict.withCause(failure) : verdict;
    }

    private static UpstreamFailure classifyQuietly(FailureClassifier classifier, Throwable failure, Phase observed) {
        try {
            return classifier.classify(failure, observed);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static RuleTable builtInRules() {
        RuleTable.Builder rules = RuleTable.builder();
        JdkRules.register(rules);
        JettyRules.register(rules);
        NettyRules.register(rules);
        ApacheRules.register(rules);
        OkHttpRules.register(rules);
        SpringRules.register(rules);
        Resilience4jRules.register(rules);
        return rules.build();
    }
}
