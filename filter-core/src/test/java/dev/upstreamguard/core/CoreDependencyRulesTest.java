package dev.upstreamguard.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import dev.upstreamguard.testkit.CoreApiRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The core depends on the JDK, Bucket4j and slf4j-api only; its packages form no cycle; the vocabulary and the
 * configuration are leaves; the servlet filter uses only the core's public API (ARCHITECTURE.md, "Packages").
 */
class CoreDependencyRulesTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.upstreamguard");

    @Test
    void coreUsesOnlyTheJdkBucket4jAndSlf4j() {
        classes().that().resideInAPackage("dev.upstreamguard.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "dev.upstreamguard.core..", "java..", "javax.net..", "javax.security..",
                        "io.github.bucket4j..", "org.slf4j..")
                .because("the core must run under every packaging without dragging a framework along")
                .check(MAIN);
    }

    @Test
    void coreNamesNoFrameworkType() {
        noClasses().that().resideInAPackage("dev.upstreamguard.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "jakarta.servlet..", "org.eclipse.jetty..", "org.springframework..", "reactor..",
                        "io.netty..", "io.micrometer..", "org.apache.hc..", "okhttp3..", "io.lettuce..",
                        "io.github.bucket4j.redis..", "io.github.resilience4j..")
                .check(MAIN);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.upstreamguard.(**)").should().beFreeOfCycles()
                .because("each package builds on the ones below it; a cycle makes them one package in disguise")
                .check(MAIN);
    }

    @Test
    void theVocabularyIsALeaf() {
        classes().that().resideInAPackage("dev.upstreamguard.core")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "dev.upstreamguard.core", "java..", "io.github.bucket4j..", "org.slf4j..")
                .because("ErrorType, Phase, UpstreamFailure, the events and the adapter SPI are the words every "
                        + "other package speaks; they import none of them")
                .check(MAIN);
    }

    @Test
    void theConfigurationNamesOnlyTheVocabulary() {
        classes().that().resideInAPackage("dev.upstreamguard.core.policy")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "dev.upstreamguard.core", "dev.upstreamguard.core.policy", "java..")
                .because("policies are values the mechanisms read; they never reach into a mechanism")
                .check(MAIN);
    }

    @Test
    void theServletFilterUsesOnlyTheCoresPublicApi() {
        CoreApiRule.forPackaging("dev.upstreamguard.servlet").check(MAIN);
    }

    @Test
    void noServletFilterClassOver300Lines() {
        CoreApiRule.checkSourceLines(java.nio.file.Path.of("src/main/java/dev/upstreamguard/servlet"), 300);
    }

    @Test
    void redisStaysInItsBackend() {
        noClasses().that().resideOutsideOfPackage("dev.upstreamguard.redis..")
                .should().dependOnClassesThat().resideInAnyPackage("io.lettuce..", "io.github.bucket4j.redis..")
                .check(MAIN);
    }

    @Test
    void micrometerStaysInItsBinder() {
        noClasses().that().resideOutsideOfPackage("dev.upstreamguard.micrometer..")
                .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                .check(MAIN);
    }
}
