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
    void catalogIsAPlainLibraryOfJdkSnakeYamlJacksonAndTheSchemaValidator() {
        classes().should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("io.isthmus.vnf.catalog..", "java..", "org.yaml.snakeyaml..",
                        "com.fasterxml.jackson..", "com.networknt.schema..")
                .because("the nfvo and the vnfm embed the catalog, and every VNF module builds its package with it:"
                        + " it has no framework of its own")
                .check(CATALOG);
    }
}
