package io.isthmus.nfvo;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import io.isthmus.sol.testing.ServiceArchitecture;

/** The layering every service keeps (ServiceArchitecture), worded as in the vnfm and the vim. */
@AnalyzeClasses(packages = "io.isthmus.nfvo", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule nothingButTheApiDependsOnTheApi = ServiceArchitecture.nothingButTheApiDependsOnTheApi("nfvo");

    @ArchTest
    static final ArchRule persistenceDependsOnNoHigherLayer = ServiceArchitecture
            .persistenceDependsOnNoHigherLayer("nfvo");

    @ArchTest
    static final ArchRule dependsOnNoOtherService = ServiceArchitecture.dependsOnNoOtherService("nfvo");

    @ArchTest
    static final ArchRule loadsNoVnfCode = ServiceArchitecture.loadsNoVnfCode("nfvo");
}
