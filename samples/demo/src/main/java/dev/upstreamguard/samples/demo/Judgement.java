package dev.upstreamguard.samples.demo;

import dev.upstreamguard.testkit.ClientDeviations.Deviation;
import dev.upstreamguard.testkit.MisbehavingUpstream;
import dev.upstreamguard.testkit.Scenario;

import java.util.Arrays;
import java.util.Objects;

/** How a cell compares with the list: as listed, as a documented deviation, or neither. */
public enum Judgement {
    /** The answer the scenario lists. */
    AS_LISTED,
    /** Not the listed answer, but exactly what the packaging documents for this scenario. */
    DOCUMENTED_DEVIATION,
    /** Neither. */
    UNEXPECTED;

    /** Judges {@code answer} to {@code scenario}, given the column's documented deviation (or {@code null}). */
    public static Judgement of(Scenario scenario, Answer answer, Deviation deviation) {
        if (deviation != null) {
            return meets(deviation, answer) ? DOCUMENTED_DEVIATION : UNEXPECTED;
        }
        return meets(scenario, answer) ? AS_LISTED : UNEXPECTED;
    }

    /** Whether {@code answer} is what {@code scenario} lists for a guarded stack. */
    public static boolean meets(Scenario s, Answer a) {
        return switch (s.outcome()) {
            case VERDICT -> a.complete() && a.status() == s.expectedStatus() && s.expectedError().equals(a.ourError());
            // truncation after commit, or the verdict when the fault was found before the head went out
            case TRUNCATED -> (a.ending() == Answer.Ending.TRUNCATED && a.status() == s.expectedStatus())
                    || (a.complete() && a.status() == 502 && s.expectedError().equals(a.ourError()));
            case PASSED_THROUGH -> a.complete() && a.status() == s.expectedStatus() && a.ourError() == null
                    && a.ourReceivedStatus() == s.expectedStatus();
            case CONTROL -> a.complete() && a.status() == 200 && a.ourError() == null
                    && Arrays.equals(a.body(), MisbehavingUpstream.controlBodyBytes());
        };
    }

    /** Whether {@code answer} is exactly the documented deviation. */
    public static boolean meets(Deviation d, Answer a) {
        return a.complete() && a.status() == d.status() && Objects.equals(d.error(), a.ourError());
    }

    /** Whether a stock stack at least answered the listed status (it sends no {@code Proxy-Status}). */
    public static boolean listedStatus(Scenario s, Answer a) {
        return switch (s.outcome()) {
            case TRUNCATED -> a.ending() == Answer.Ending.TRUNCATED || (a.complete() && a.status() == 502);
            case CONTROL -> meets(s, a);
            default -> a.complete() && a.status() == s.expectedStatus();
        };
    }
}
