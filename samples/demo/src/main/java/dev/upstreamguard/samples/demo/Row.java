package dev.upstreamguard.samples.demo;

import dev.upstreamguard.testkit.Scenario;

import java.util.List;

/**
 * One scenario's answers, one per column (in the demo's column order), each with its judgement.
 *
 * @param scenario   the scenario
 * @param answers    what each column answered
 * @param judgements each answer compared with the list (for stock columns: informational)
 */
public record Row(Scenario scenario, List<Answer> answers, List<Judgement> judgements) {

    /** Copies the lists. */
    public Row {
        answers = List.copyOf(answers);
        judgements = List.copyOf(judgements);
    }
}
