package dev.upstreamguard.core.policy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration reference lists every property the binder knows, with its default. */
class ReadmeConfigurationReferenceTest {

    @Test
    void everyPropertyIsDocumentedWithItsDefault() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        for (PolicyBinder.PropertyInfo p : PolicyBinder.properties()) {
            String key = p.key().startsWith("status.") ? "status.<error-type>" : p.key();
            assertThat(text).as("README documents %s", key).contains("| `" + key + "` |");
            if (!key.startsWith("status.")) {
                assertThat(text).as("README gives the default of %s", key)
                        .contains("| `" + key + "` | `" + p.defaultValue() + "` |");
            }
        }
    }
}
