package io.cocoplane.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Checks {@link HouseRules} over the main classes of every module of the reactor ({@code target/classes} of each
 * folder with a {@code pom.xml} and {@code src/main/java}), so a new module is covered without editing this one.
 * This module is the last of the reactor; a module whose classes are missing fails the test instead of being skipped.
 */
class ArchitectureTest {

    static JavaClasses production;
    static List<Path> modules;

    @BeforeAll
    static void importReactor() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isRegularFile(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        assertThat(root).as("project root (folder with mvnw)").isNotNull();
        modules = new ArrayList<>();
        try (Stream<Path> poms = Files.find(root, 4, (p, a) -> p.getFileName().toString().equals("pom.xml")
                && !p.toString().contains("/target/") && !p.toString().contains("/.cocoplane/"))) {
            poms.map(Path::getParent).filter(m -> Files.isDirectory(m.resolve("src/main/java"))).forEach(modules::add);
        }
        List<Path> classes = new ArrayList<>();
        for (Path m : modules) {
            Path c = m.resolve("target/classes");
            assertThat(c).as("compiled classes of module " + root.relativize(m)
                    + " (build the reactor: ./mvnw verify)").isDirectory();
            classes.add(c);
        }
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPaths(classes);
    }

    @Test
    void everyModuleWasImported() {
        assertThat(modules).extracting(p -> p.getFileName().toString()).contains("contracts", "eventing");
        assertThat(production.containPackage("io.cocoplane.contracts")).isTrue();
        assertThat(production.containPackage("io.cocoplane.eventing")).isTrue();
    }

    @Test
    void servicesNeverImportAnotherService() {
        HouseRules.SERVICES_ARE_INDEPENDENT.check(production);
    }

    @Test
    void springFreeLibrariesImportNeitherSpringNorKafkaNorAService() {
        HouseRules.LIBS_ARE_SPRING_FREE.check(production);
    }

    @Test
    void sharedSpringCodeImportsNoService() {
        HouseRules.SHARED_SPRING_CODE_IMPORTS_NO_SERVICE.check(production);
    }

    @Test
    void contractsImportNothingOfOurs() {
        HouseRules.CONTRACTS_IMPORT_NOTHING_OF_OURS.check(production);
    }

    @Test
    void toolsImportNoServiceAndNoSpring() {
        HouseRules.TOOLS_IMPORT_NO_SERVICE_OR_SPRING.check(production);
    }
}
