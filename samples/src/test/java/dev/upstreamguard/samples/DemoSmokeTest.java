package dev.upstreamguard.samples;

import dev.upstreamguard.testkit.Scenarios;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's main job, end to end: every scenario fired through the stock and the guarded app. */
class DemoSmokeTest {

    @Test
    void theDemoPrintsEveryScenarioAndTheGuardedAppAnswersThemAsDesigned() throws Exception {
        Demo demo = Demo.start();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            List<Demo.Row> rows = demo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            String table = buffer.toString(StandardCharsets.UTF_8);
            assertThat(rows).hasSize(Scenarios.all().size());
            assertThat(table).contains("connection-refused", "502 Proxy-Status: upstream-guard;error=connection_refused");
            assertThat(rows.stream().filter(r -> !r.asExpected()).map(r -> r.scenario().name()))
                    .as("scenarios the guarded app got wrong").isEmpty();
            assertThat(rows.stream().filter(r -> r.scenario().name().equals("connection-refused")).findFirst().orElseThrow().stock())
                    .startsWith("500");
        } finally {
            demo.stop();
        }
    }
}
