package dev.upstreamguard.samples.demo;

import dev.upstreamguard.testkit.ClientDeviations.Deviation;
import dev.upstreamguard.testkit.Scenario;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One column of the table: a stack the scenarios are fired through.
 *
 * @param title      the column heading
 * @param guarded    whether upstream-guard is in it (its cells are judged against the list)
 * @param port       where it listens on 127.0.0.1
 * @param pathOf     the request path that reaches a scenario's target through this stack
 * @param deviations the packaging's documented deviations from the list, by scenario name
 */
public record Column(String title, boolean guarded, int port, Function<Scenario, String> pathOf,
                     Map<String, Deviation> deviations) {

    /** Checks the parts. */
    public Column {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(pathOf, "pathOf");
        deviations = Map.copyOf(deviations);
    }

    /** The URL of {@code scenario} through this stack, for curl. */
    public String url(Scenario scenario) {
        return "http://127.0.0.1:" + port + pathOf.apply(scenario);
    }
}
