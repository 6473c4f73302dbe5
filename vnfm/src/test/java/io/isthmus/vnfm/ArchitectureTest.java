package io.isthmus.vnfm;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import io.isthmus.sol.testing.ServiceArchitecture;

/** The layering every service keeps (ServiceArchitecture), and what is particular to this one. */
@AnalyzeClasses(packages = "io.isthmus.vnfm", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule nothingButTheApiDependsOnTheApi = ServiceArchitecture.nothingButTheApiDependsOnTheApi("vnfm");

    @ArchTest
    static final ArchRule persistenceDependsOnNoHigherLayer = ServiceArchitecture
            .persistenceDependsOnNoHigherLayer("vnfm");

    @ArchTest
    static final ArchRule dependsOnNoOtherService = ServiceArchitecture.dependsOnNoOtherService("vnfm");

    @ArchTest
    static final ArchRule loadsNoVnfCode = ServiceArchitecture.loadsNoVnfCode("vnfm");
}
