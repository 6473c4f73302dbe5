package io.isthmus.sol.testing;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.util.List;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The architecture rules every Quarkus service of the platform keeps, worded once so that each service's
 * {@code ArchitectureTest} states the same rules in the same words (STYLE.md habit 13: packages say what a class is
 * for, and imports flow {@code api → service → persistence}, never back).
 */
public final class ServiceArchitecture {

    private static final List<String> SERVICES = List.of("nfvo", "vnfm", "vim");

    private ServiceArchitecture() {
    }

    /** Only the API layer knows the API layer: resources call services, nothing calls resources. */
    public static ArchRule nothingButTheApiDependsOnTheApi(String service) {
        String root = "io.isthmus." + service;
        return noClasses().that().resideOutsideOfPackage(root + ".api..").should().dependOnClassesThat()
                .resideInAPackage(root + ".api..")
                .because("imports flow api → service → persistence, never back");
    }

    /** Persistence is the bottom layer: entities and repositories know no use case, engine, peer or resource. */
    public static ArchRule persistenceDependsOnNoHigherLayer(String service) {
        String root = "io.isthmus." + service;
        return noClasses().that().resideInAPackage(root + ".persistence..").should().dependOnClassesThat()
                .resideInAnyPackage(root + ".api..", root + ".service..", root + ".lifecycle..",
                        root + ".integration..", root + ".driver..")
                .because("persistence is the bottom layer");
    }

    /** A service meets the others over HTTP, through contracts defined once; it depends on no other service module. */
    public static ArchRule dependsOnNoOtherService(String service) {
        return noClasses().should().dependOnClassesThat().resideInAnyPackage(SERVICES.stream()
                .filter(s -> !s.equals(service)).map(s -> "io.isthmus." + s + "..").toArray(String[]::new))
                .because("services meet over HTTP, not through each other's classes");
    }

    /** The services are generic over VNF types: no VNF's code, no data-plane engine, only packages and contracts. */
    public static ArchRule loadsNoVnfCode(String service) {
        DescribedPredicate<JavaClass> vnfCode = resideInAnyPackage("io.isthmus.fastpath..", "io.isthmus.slowpath..",
                "io.isthmus.control..", "io.isthmus.vnf..")
                .and(not(resideInAnyPackage("io.isthmus.vnf.catalog..", "io.isthmus.vnf.process..")))
                .as("the data plane or a VNF type's code");
        return noClasses().that().resideInAPackage("io.isthmus." + service + "..").should().dependOnClassesThat(vnfCode)
                .because("a VNF type is a plug-in of the VNF runtime; the services know it by its package only");
    }
}
