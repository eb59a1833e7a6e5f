package dev.messenger.desktop;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The desktop app's structure rules (ARCHITECTURE.md, "The desktop app"), checked on its classes. */
class ArchitectureTest {
    private static final JavaClasses APP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.messenger.desktop");

    @Test
    void onlyTheConnectionPackageTalksGrpc() {
        noClasses().that().resideOutsideOfPackage("dev.messenger.desktop.connection..")
                .should().dependOnClassesThat().resideInAnyPackage("io.grpc..")
                .because("connection/ is the one place that talks to the server; the rest sees MessengerApi and plain words")
                .check(APP);
    }

    @Test
    void viewModelsHoldStateNotNodes() {
        classes().that().haveSimpleNameEndingWith("ViewModel")
                .should().onlyDependOnClassesThat().resideOutsideOfPackages("javafx.scene..", "javafx.stage..")
                .because("view models are unit-tested without a scene; views build the nodes and bind to them")
                .check(APP);
    }

    @Test
    void featurePackagesDoNotDependOnEachOtherInCycles() {
        slices().matching("dev.messenger.desktop.(*)..").should().beFreeOfCycles().check(APP);
    }
}
