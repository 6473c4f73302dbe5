package io.isthmus.vim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The vim's layering. Its api is {@code io.isthmus.vim.api} (the resources) exactly: the wire records of the shared
 * {@code io.isthmus.vimapi} module are what its services answer with.
 */
@AnalyzeClasses(packages = "io.isthmus.vim", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule persistenceNeverDependsOnApi = noClasses()
            .that().resideInAPackage("io.isthmus.vim..persistence..")
            .should().dependOnClassesThat().resideInAPackage("io.isthmus.vim.api..");

    @ArchTest
    static final ArchRule serviceNeverDependsOnApi = noClasses()
            .that().resideInAPackage("io.isthmus.vim..service..")
            .should().dependOnClassesThat().resideInAPackage("io.isthmus.vim.api..");

    @ArchTest
    static final ArchRule driversKnowNeitherApiNorServiceNorPersistence = noClasses()
            .that().resideInAPackage("io.isthmus.vim..driver..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("io.isthmus.vim.api..", "io.isthmus.vim..service..", "io.isthmus.vim..persistence..");

    @ArchTest
    static final ArchRule vimDependsOnNoOtherServiceModule = noClasses()
            .that().resideInAPackage("io.isthmus.vim..")
            .should().dependOnClassesThat().resideInAnyPackage("io.isthmus.nfvo..", "io.isthmus.vnfm..");
}
