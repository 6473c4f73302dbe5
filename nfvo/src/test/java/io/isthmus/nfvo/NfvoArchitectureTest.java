package io.isthmus.nfvo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.isthmus.nfvo", importOptions = ImportOption.DoNotIncludeTests.class)
class NfvoArchitectureTest {

    @ArchTest
    static final ArchRule persistenceNeverImportsApi = noClasses().that().resideInAPackage("..persistence..")
            .should().dependOnClassesThat().resideInAPackage("..api..");

    @ArchTest
    static final ArchRule servicesNeverImportApi = noClasses().that().resideInAPackage("..service..")
            .should().dependOnClassesThat().resideInAPackage("io.isthmus.nfvo.api..");

    @ArchTest
    static final ArchRule noOtherServiceModule = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("io.isthmus.vnfm..", "io.isthmus.vim..");
}
