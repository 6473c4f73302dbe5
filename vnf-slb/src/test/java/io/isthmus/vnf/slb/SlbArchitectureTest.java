package io.isthmus.vnf.slb;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * A VNF type is slowpath policy only: it reaches the fastpath through the control protocol, never its code, and it
 * does no I/O (the slowpath probes the backends it declares).
 */
@AnalyzeClasses(packages = "io.isthmus.vnf.slb", importOptions = ImportOption.DoNotIncludeTests.class)
class SlbArchitectureTest {

    @ArchTest
    static final ArchRule slbDoesNotDependOnTheFastpath = noClasses().that().resideInAPackage("io.isthmus.vnf.slb..")
            .should().dependOnClassesThat().resideInAPackage("io.isthmus.fastpath..")
            .because("the fastpath is generic; the load balancer only decides (VNF types are plug-ins)");

    @ArchTest
    static final ArchRule slbDoesNoIo = noClasses().that().resideInAPackage("io.isthmus.vnf.slb..").should()
            .dependOnClassesThat().resideInAnyPackage("java.net.http..", "java.nio.channels..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
            .because("a policy is pure: the slowpath runs the health checks it declares");
}
