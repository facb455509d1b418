package dev.upstreamguard.core.classify;

import dev.upstreamguard.core.ErrorType;
import dev.upstreamguard.core.Phase;
import dev.upstreamguard.core.UpstreamFailure;
import dev.upstreamguard.core.UpstreamFailureException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Chain walking, composition and the internal-error fallback. */
class ClassificationMechanicsTest {

    private final FailureClassifier defaults = FailureClassifiers.defaults();

    @Test
    void unknownThrowablesAreNotRecognised() {
        assertThat(defaults.classify(new IllegalStateException("bug"), Phase.AWAIT_RESPONSE)).isNull();
        assertThat(defaults.classify(null, Phase.UNKNOWN)).isNull();
    }

    @Test
    void plainIOExceptionBeforeTheRequestIsNotGuessed() {
        assertThat(defaults.classify(new IOException("x"), Phase.UNKNOWN)).isNull();
        assertThat(defaults.classify(new IOException("x"), Phase.CONNECT)).isNull();
    }

    @Test
    void nullPhaseCountsAsUnknown() {
        UpstreamFailure verdict = defaults.classify(new SocketException("Connection reset"), null);

        assertThat(verdict.type()).isEqualTo(ErrorType.CONNECTION_TERMINATED);
        // like UNKNOWN: a termination with no response byte is placed in the wait for the response
        assertThat(verdict.phase()).isEqualTo(Phase.AWAIT_RESPONSE);
        assertThat(verdict).isEqualTo(defaults.classify(new SocketException("Connection reset"), Phase.UNKNOWN)
                .withCause(verdict.cause()));
    }

    @Test
    void causeCyclesEndTheWalk() {
        IOException outer = new IOException("outer");
        IOException inner = new IOException("inner", outer);
        outer.initCause(inner);

        assertThat(defaults.classify(outer, Phase.UNKNOWN)).isNull();
        assertThat(defaults.classify(outer, Phase.READ_BODY).type()).isEqualTo(ErrorType.HTTP_RESPONSE_INCOMPLETE);
    }

    @Test
    void causesDeeperThanTheBoundAreNotLookedAt() {
        Throwable withinBound = wrap(new ConnectException("refused"), CauseChainClassifier.MAX_DEPTH - 1);
        Throwable beyondBound = wrap(new ConnectException("refused"), CauseChainClassifier.MAX_DEPTH);

        assertThat(defaults.classify(withinBound, Phase.UNKNOWN).type()).isEqualTo(ErrorType.CONNECTION_REFUSED);
        assertThat(defaults.classify(beyondBound, Phase.UNKNOWN)).isNull();
    }

    @Test
    void suppressedExceptionsAreIgnored() {
        IllegalStateException bug = new IllegalStateException("bug");
        bug.addSuppressed(new ConnectException("refused"));

        assertThat(defaults.classify(bug, Phase.UNKNOWN)).isNull();
    }

    @Test
    void anUpstreamFailureExceptionKeepsItsOwnCause() {
        SocketException original = new SocketException("Connection reset");
        UpstreamFailure known = new UpstreamFailure(ErrorType.HTTP_RESPONSE_INCOMPLETE, Phase.READ_BODY, Map.of(),
                "body ended early", original);

        UpstreamFailure verdict = defaults.classify(new IOException(new UpstreamFailureException(known)), Phase.UNKNOWN);

        assertThat(verdict).isSameAs(known);
    }

    @Test
    void composeAsksCustomClassifiersFirstAndSkipsThoseThatThrow() {
        UpstreamFailure custom = UpstreamFailure.of(ErrorType.DESTINATION_IP_PROHIBITED, Phase.CONNECT);
        FailureClassifier throwing = (failure, observed) -> {
            throw new IllegalStateException("broken custom classifier");
        };
        FailureClassifier prohibitsRefused = (failure, observed) -> failure instanceof ConnectException ? custom : null;
        FailureClassifier composed = FailureClassifiers.compose(throwing, prohibitsRefused, defaults);

        assertThat(composed.classify(new ConnectException("refused"), Phase.UNKNOWN)).isSameAs(custom);
        assertThat(composed.classify(new UnknownHostException("x"), Phase.UNKNOWN).type()).isEqualTo(ErrorType.DNS_ERROR);
        assertThat(composed.classify(new IllegalStateException(), Phase.UNKNOWN)).isNull();
    }

    @Test
    void composeRejectsNullMembers() {
        assertThatThrownBy(() -> FailureClassifiers.compose(defaults, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("classifiers[1]");
    }

    @Test
    void classifyOrInternalTurnsUnknownThrowablesIntoProxyInternalError() {
        IllegalStateException bug = new IllegalStateException("secret-host.internal");

        UpstreamFailure verdict = FailureClassifiers.classifyOrInternal(defaults, bug, Phase.READ_HEAD);

        assertThat(verdict.type()).isEqualTo(ErrorType.PROXY_INTERNAL_ERROR);
        assertThat(verdict.phase()).isEqualTo(Phase.READ_HEAD);
        assertThat(verdict.cause()).isSameAs(bug);
        assertThat(verdict.details()).isEqualTo(FailureClassifiers.UNRECOGNISED);
    }

    @Test
    void classifyOrInternalSurvivesThrowingClassifiersAndNullPhase() {
        IOException failure = new IOException("x");
        FailureClassifier throwing = (f, observed) -> {
            throw new IllegalStateException();
        };

        UpstreamFailure verdict = FailureClassifiers.classifyOrInternal(throwing, failure, null);

        assertThat(verdict.type()).isEqualTo(ErrorType.PROXY_INTERNAL_ERROR);
        assertThat(verdict.phase()).isEqualTo(Phase.UNKNOWN);
    }

    @Test
    void classifyOrInternalGivesCustomVerdictsTheThrowableAsCause() {
        ConnectException refused = new ConnectException("refused");
        FailureClassifier causeless = (f, observed) -> UpstreamFailure.of(ErrorType.CONNECTION_REFUSED, Phase.CONNECT);

        assertThat(FailureClassifiers.classifyOrInternal(causeless, refused, Phase.UNKNOWN).cause()).isSameAs(refused);
    }

    @Test
    void rulesAreFoundThroughSuperclassesAndRegisteredOnce() {
        RuleTable table = RuleTable.builder().on(IOException.class, (t, observed) ->
                Recognition.typed(ErrorType.CONNECTION_TERMINATED, observed, "closed")).build();

        assertThat(table.ruleFor(new java.io.EOFException()).recognise(new java.io.EOFException(), Phase.UNKNOWN))
                .isNotNull();
        assertThat(table.ruleFor(new IllegalStateException()).recognise(new IllegalStateException(), Phase.UNKNOWN))
                .isNull();
        assertThatThrownBy(() -> RuleTable.builder().on("a.B", (t, o) -> null).on("a.B", (t, o) -> null))
                .isInstanceOf(IllegalStateException.class);
    }

    private static Throwable wrap(Throwable inner, int wrappers) {
        Throwable t = inner;
        for (int i = 0; i < wrappers; i++) {
            t = new RuntimeException(t);
        }
        return t;
    }
}
