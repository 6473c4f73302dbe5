package io.isthmus.vnf.catalog;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

class ArchitectureTest {

    private static final JavaClasses CATALOG = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.isthmus.vnf.catalog");

    @Test
    void catalogIsAPlainLibraryOfJdkAndSnakeYaml() {
        classes().should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("io.isthmus.vnf.catalog..", "java..", "org.yaml.snakeyaml..")
                .because("the nfvo embeds the catalog; it has no framework of its own")
                .check(CATALOG);
    }
}
