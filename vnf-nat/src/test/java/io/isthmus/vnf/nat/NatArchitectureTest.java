package io.isthmus.vnf.nat;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** A VNF type is slowpath policy only: it reaches the fastpath through the control protocol, never its code. */
@AnalyzeClasses(packages = "io.isthmus.vnf.nat", importOptions = ImportOption.DoNotIncludeTests.class)
class NatArchitectureTest {

    @ArchTest
    static final ArchRule natDoesNotDependOnTheFastpath = noClasses().that().resideInAPackage("io.isthmus.vnf.nat..")
            .should().dependOnClassesThat().resideInAPackage("io.isthmus.fastpath..")
            .because("the fastpath is generic; the NAT only decides (ARCHITECTURE.md, VNF types are plug-ins)");
}
