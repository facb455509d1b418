package dev.upstreamguard.gateway;

import dev.upstreamguard.core.lifecycle.Verdict;

/**
 * Carries the core's answer from the attempt loop to the global filter, which writes it: the reactive chain
 * ends with an error so that nothing of the upstream's response is written meanwhile. No stack trace: it is
 * a verdict, not a failure of this code.
 */
final class AnsweredException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Verdict.Answer answer;

    AnsweredException(Verdict.Answer answer) {
        super(answer.failure().type().token(), null, false, false);
        this.answer = answer;
    }

    Verdict.Answer answer() {
        return answer;
    }
}
