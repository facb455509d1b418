package dev.upstreamguard.testkit;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The architecture rule every packaging obeys: it uses the core only through its public API — the vocabulary
 * ({@code dev.upstreamguard.core}), the configuration ({@code dev.upstreamguard.core.policy}) and the lifecycle
 * ({@code dev.upstreamguard.core.lifecycle}) — never the mechanisms behind them (admission, retry, validation,
 * classification, diagnostics, limits), which the lifecycle drives. Needs ArchUnit on the test classpath.
 */
public final class CoreApiRule {
    /** The core's public API: the only core packages a packaging may use. */
    public static final List<String> CORE_API_PACKAGES = List.of(
            "dev.upstreamguard.core", "dev.upstreamguard.core.policy", "dev.upstreamguard.core.lifecycle");

    private CoreApiRule() {
    }

    /** The rule for the packaging whose main classes live in {@code packagingPackage} and below. */
    public static ArchRule forPackaging(String packagingPackage) {
        DescribedPredicate<JavaClass> coreInternals = resideInAPackage("dev.upstreamguard.core..")
                .and(DescribedPredicate.not(resideInAnyPackage(CORE_API_PACKAGES.toArray(String[]::new))))
                .as("core classes outside its public API " + CORE_API_PACKAGES);
        return noClasses().that().resideInAPackage(packagingPackage + "..")
                .should().dependOnClassesThat(coreInternals)
                .because("the core decides and the packagings translate: they drive the lifecycle, not its parts");
    }

    /** Checks the rule on the main classes of {@code packagingPackage} (test classes excluded). */
    public static void check(String packagingPackage) {
        JavaClasses main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(packagingPackage);
        forPackaging(packagingPackage).check(main);
    }

    /**
     * Fails when a source file under {@code sourceRoot} has more than {@code maxLines} lines: a packaging
     * translates, and a translator that grows past that is deciding things the core should.
     */
    public static void checkSourceLines(Path sourceRoot, int maxLines) {
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            List<String> over = files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    long lines = Files.lines(f).count();
                    return lines > maxLines ? Stream.of(f + " (" + lines + " lines)") : Stream.empty();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
            if (!over.isEmpty()) {
                throw new AssertionError("over " + maxLines + " lines: " + over);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
