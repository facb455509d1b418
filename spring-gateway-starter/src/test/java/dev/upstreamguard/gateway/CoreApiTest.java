package dev.upstreamguard.gateway;

import dev.upstreamguard.testkit.CoreApiRule;
import org.junit.jupiter.api.Test;

/** This packaging uses the core only through its public API: vocabulary, policy, lifecycle. */
class CoreApiTest {

    @Test
    void usesOnlyTheCoresPublicApi() {
        CoreApiRule.check("dev.upstreamguard.gateway");
    }

    @Test
    void noClassOver300Lines() {
        CoreApiRule.checkSourceLines(java.nio.file.Path.of("src/main/java"), 300);
    }
}
