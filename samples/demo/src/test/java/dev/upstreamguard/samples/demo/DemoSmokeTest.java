package dev.upstreamguard.samples.demo;

import dev.upstreamguard.testkit.Scenarios;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's main job, end to end: every scenario fired through all six stacks, the tables printed. */
class DemoSmokeTest {

    @Test
    void everyGuardedStackAnswersEveryScenarioAsListedOrAsDocumented() throws Exception {
        try (Demo demo = Demo.start()) {
            List<Row> rows = demo.run();
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            demo.print(rows, new PrintStream(buffer, true, StandardCharsets.UTF_8));
            String tables = buffer.toString(StandardCharsets.UTF_8);
            System.out.println(tables);

            assertThat(rows).hasSize(Scenarios.all().size());
            assertThat(demo.allGuardedAsExpected(rows)).as("guarded cells as listed or documented:%n%s", tables).isTrue();
            assertThat(tables).doesNotContain("!!");
            Row refused = rows.stream().filter(r -> r.scenario().name().equals("connection-refused")).findFirst().orElseThrow();
            assertThat(refused.answers().get(Demo.GUARDED_JETTY).cell()).isEqualTo("502 connection_refused");
            assertThat(refused.answers().get(Demo.GUARDED_GATEWAY).cell()).isEqualTo("502 connection_refused");
            assertThat(refused.answers().get(Demo.GUARDED_SERVLET).cell()).isEqualTo("502 connection_refused");
            // what the stock stacks do today: the gateway and the servlet app answer 500, Jetty 502
            assertThat(refused.answers().get(Demo.STOCK_GATEWAY).cell()).isEqualTo("500");
            assertThat(refused.answers().get(Demo.STOCK_SERVLET).cell()).isEqualTo("500");
            assertThat(refused.answers().get(Demo.STOCK_JETTY).cell()).isEqualTo("502");
            for (int c = 0; c < demo.columns().size(); c++) {
                assertThat(tables).contains(demo.columns().get(c).title());
            }
        }
    }
}
