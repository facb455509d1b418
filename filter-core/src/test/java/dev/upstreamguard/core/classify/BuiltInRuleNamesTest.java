package dev.upstreamguard.core.classify;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every class name a built-in rule is keyed by is a real Throwable of the library versions we test with. */
class BuiltInRuleNamesTest {

    /** Libraries whose jars are not on the test classpath (OkHttp 5's JVM jar, Spring Cloud Gateway, unshaded reactor-pool). */
    private static final List<String> ABSENT_PACKAGES = List.of("okhttp3.", "org.springframework.", "reactor.pool.");

    @Test
    void everyRuleNamesALoadableThrowable() {
        List<String> problems = new ArrayList<>();
        for (String name : FailureClassifiers.builtInRules().classNames()) {
            if (ABSENT_PACKAGES.stream().anyMatch(name::startsWith)) {
                continue;
            }
            try {
                Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                if (!Throwable.class.isAssignableFrom(type)) {
                    problems.add(name + " is not a Throwable");
                }
            } catch (ClassNotFoundException e) {
                problems.add(name + " does not exist");
            }
        }
        assertThat(problems).isEmpty();
    }
}
