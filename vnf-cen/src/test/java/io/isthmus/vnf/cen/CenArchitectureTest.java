package io.isthmus.vnf.cen;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * A VNF type is slowpath policy only: it reaches the fastpath through the control protocol, never its code. The policy
 * and its route tables do no I/O: the BGP speaker (package bgp) is run by CenBgpSessions only.
 */
@AnalyzeClasses(packages = "io.isthmus.vnf.cen", importOptions = ImportOption.DoNotIncludeTests.class)
class CenArchitectureTest {

    @ArchTest
    static final ArchRule cenDoesNotDependOnTheFastpath = noClasses().that().resideInAPackage("io.isthmus.vnf.cen..")
            .should().dependOnClassesThat().resideInAPackage("io.isthmus.fastpath..")
            .because("the fastpath is generic; the CEN only decides (VNF types are plug-ins)");

    @ArchTest
    static final ArchRule onlyTheSessionsRunBgp = noClasses().that().resideInAPackage("io.isthmus.vnf.cen")
            .and().haveNameNotMatching("io\\.isthmus\\.vnf\\.cen\\.CenBgpSessions.*")
            .should().dependOnClassesThat().resideInAPackage("io.isthmus.vnf.cen.bgp..")
            .because("the policy is pure: BGP's sockets and threads stay behind BgpSessions");

    @ArchTest
    static final ArchRule thePolicyDoesNoIo = noClasses().that().resideInAPackage("io.isthmus.vnf.cen")
            .and().haveNameNotMatching("io\\.isthmus\\.vnf\\.cen\\.CenBgpSessions.*")
            .should().dependOnClassesThat().resideInAnyPackage("java.net.http..", "java.nio.channels..", "java.io..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.DatagramSocket")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
            .because("a policy is pure: it says what the fastpaths get, the slowpath does the sending");
}
