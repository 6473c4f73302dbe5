package io.isthmus.vim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import io.isthmus.sol.testing.ServiceArchitecture;

/**
 * The layering every service keeps (ServiceArchitecture), and what is particular to the vim. Its api is
 * {@code io.isthmus.vim.api} (the resources) exactly: the wire records of the shared {@code io.isthmus.vimapi} module
 * are what its services answer with.
 */
@AnalyzeClasses(packages = "io.isthmus.vim", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule nothingButTheApiDependsOnTheApi = ServiceArchitecture.nothingButTheApiDependsOnTheApi("vim");

    @ArchTest
    static final ArchRule persistenceDependsOnNoHigherLayer = ServiceArchitecture
            .persistenceDependsOnNoHigherLayer("vim");

    @ArchTest
    static final ArchRule dependsOnNoOtherService = ServiceArchitecture.dependsOnNoOtherService("vim");

    @ArchTest
    static final ArchRule loadsNoVnfCode = ServiceArchitecture.loadsNoVnfCode("vim");

    @ArchTest
    static final ArchRule driversKnowNeitherApiNorServiceNorPersistence = noClasses()
            .that().resideInAPackage("io.isthmus.vim..driver..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("io.isthmus.vim.api..", "io.isthmus.vim..service..", "io.isthmus.vim..persistence..");
}
