package io.isthmus.slowpath;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The slowpath's layering, worded as the services' (ServiceArchitecture in sol's tests): its {@code api} (the config
 * endpoint) is known only to the process that starts it, the policy SPI that VNF types implement knows nothing of the
 * machinery around it, and the slowpath meets the fastpath only over the control protocol.
 */
@AnalyzeClasses(packages = "io.isthmus.slowpath", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule nothingButTheApiDependsOnTheApi = noClasses()
            .that().resideInAnyPackage("io.isthmus.slowpath.policy..", "io.isthmus.slowpath.control..",
                    "io.isthmus.slowpath.service..")
            .should().dependOnClassesThat().resideInAPackage("io.isthmus.slowpath.api..")
            .because("imports flow api → service → the rest, never back");

    @ArchTest
    static final ArchRule policySpiDependsOnNoHigherLayer = noClasses()
            .that().resideInAPackage("io.isthmus.slowpath.policy..")
            .should().dependOnClassesThat().resideInAnyPackage("io.isthmus.slowpath.api..",
                    "io.isthmus.slowpath.service..", "io.isthmus.slowpath.control..")
            .because("a VNF type implements the policy SPI and sees nothing of the machinery around it");

    @ArchTest
    static final ArchRule slowpathDoesNotDependOnTheFastpath = noClasses()
            .that().resideInAPackage("io.isthmus.slowpath..")
            .should().dependOnClassesThat().resideInAPackage("io.isthmus.fastpath..")
            .because("the slowpath and the engine share only the control-protocol module");

    @ArchTest
    static final ArchRule usesNoFramework = noClasses()
            .that().resideInAPackage("io.isthmus.slowpath..")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "io.quarkus..", "org.jboss..",
                    "org.apache.camel..")
            .because("the slowpath is a plain process: JDK, Jackson and the control protocol");
}
