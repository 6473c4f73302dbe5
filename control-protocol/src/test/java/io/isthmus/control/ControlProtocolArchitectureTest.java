package io.isthmus.control;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The contract both sides share: plain JDK, and neither side's code. */
@AnalyzeClasses(packages = "io.isthmus.control", importOptions = ImportOption.DoNotIncludeTests.class)
class ControlProtocolArchitectureTest {

    @ArchTest
    static final ArchRule theProtocolDependsOnNeitherSideNorAFramework = noClasses().that()
            .resideInAPackage("io.isthmus.control..").should().dependOnClassesThat()
            .resideInAnyPackage("io.isthmus.fastpath..", "io.isthmus.slowpath..", "io.isthmus.vnf..", "io.quarkus..",
                    "jakarta..", "com.fasterxml..", "org.slf4j..", "java.util.logging..")
            .because("the engine and the slowpath both use it, and it runs in the fastpath's hot loop");

    @ArchTest
    static final ArchRule theValuesDoNotDependOnTheWireFormat = noClasses().that()
            .resideInAPackage("io.isthmus.control").should().dependOnClassesThat()
            .resideInAPackage("io.isthmus.control.message")
            .because("the flyweights encode the values, not the other way round");
}
