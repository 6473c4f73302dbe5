package io.isthmus.slowpath;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The slowpath meets the fastpath only over the control protocol. */
@AnalyzeClasses(packages = "io.isthmus.slowpath", importOptions = ImportOption.DoNotIncludeTests.class)
class SlowpathArchitectureTest {

    @ArchTest
    static final ArchRule slowpathDoesNotDependOnTheFastpath = noClasses().that()
            .resideInAPackage("io.isthmus.slowpath..").should().dependOnClassesThat()
            .resideInAPackage("io.isthmus.fastpath..")
            .because("the slowpath and the engine share only the control-protocol module (issue 7)");
}
