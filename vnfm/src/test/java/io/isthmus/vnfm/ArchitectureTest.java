package io.isthmus.vnfm;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The vnfm's layering (STYLE.md habit 13) and its independence from the other services (ARCHITECTURE.md). */
@AnalyzeClasses(packages = "io.isthmus.vnfm", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule persistenceDoesNotDependOnTheApi = noClasses().that()
            .resideInAPackage("io.isthmus.vnfm.persistence..").should().dependOnClassesThat()
            .resideInAPackage("io.isthmus.vnfm.api..");

    @ArchTest
    static final ArchRule persistenceDependsOnNoHigherLayer = noClasses().that()
            .resideInAPackage("io.isthmus.vnfm.persistence..").should().dependOnClassesThat()
            .resideInAnyPackage("io.isthmus.vnfm.service..", "io.isthmus.vnfm.lifecycle..",
                    "io.isthmus.vnfm.integration..");

    @ArchTest
    static final ArchRule servicesDoNotDependOnTheApi = noClasses().that()
            .resideInAnyPackage("io.isthmus.vnfm.service..", "io.isthmus.vnfm.lifecycle..",
                    "io.isthmus.vnfm.integration..")
            .should().dependOnClassesThat().resideInAPackage("io.isthmus.vnfm.api..");

    @ArchTest
    static final ArchRule noDependencyOnOtherServices = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("io.isthmus.nfvo..", "io.isthmus.vim..");
}
