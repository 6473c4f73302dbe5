package io.isthmus.fastpath;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The fastpath is plain JDK: no framework, no JSON, no logging library on or near the hot path. */
@AnalyzeClasses(packages = "io.isthmus.fastpath", importOptions = ImportOption.DoNotIncludeTests.class)
class FastpathArchitectureTest {

    @ArchTest
    static final ArchRule fastpathDependsOnNoFramework = noClasses().that().resideInAPackage("io.isthmus.fastpath..")
            .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta..", "org.jboss..",
                    "com.fasterxml..", "org.slf4j..", "org.apache.logging..", "java.util.logging..")
            .because("the data plane is plain JDK (ARCHITECTURE.md, Data plane)");
}
