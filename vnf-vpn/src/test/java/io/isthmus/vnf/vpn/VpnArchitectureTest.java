package io.isthmus.vnf.vpn;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * A VNF type is slowpath policy only: it reaches the fastpath through the control protocol, never its code, and it
 * does no I/O: the IKE engine's datagrams leave as the policy's Transmits, its time comes from the slowpath's timers.
 */
@AnalyzeClasses(packages = "io.isthmus.vnf.vpn", importOptions = ImportOption.DoNotIncludeTests.class)
class VpnArchitectureTest {

    @ArchTest
    static final ArchRule vpnDoesNotDependOnTheFastpath = noClasses().that().resideInAPackage("io.isthmus.vnf.vpn..")
            .should().dependOnClassesThat().resideInAPackage("io.isthmus.fastpath..")
            .because("the fastpath is generic; the VPN only decides (VNF types are plug-ins)");

    @ArchTest
    static final ArchRule vpnDoesNoIo = noClasses().that().resideInAPackage("io.isthmus.vnf.vpn..").should()
            .dependOnClassesThat().resideInAnyPackage("java.net.http..", "java.nio.channels..")
            .orShould().dependOnClassesThat()
            .haveFullyQualifiedName("java.net.Socket").orShould().dependOnClassesThat()
            .haveFullyQualifiedName("java.net.DatagramSocket").orShould().dependOnClassesThat()
            .haveFullyQualifiedName("java.lang.Thread")
            .because("a policy is pure: the slowpath carries the engine's datagrams and runs its timers");
}
