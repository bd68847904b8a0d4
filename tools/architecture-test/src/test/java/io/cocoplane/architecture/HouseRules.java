package io.cocoplane.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The rules of the house (ARCHITECTURE §2): services never import another service; the Spring-free libraries never
 * import Spring, Kafka or a service; {@code contracts} imports nothing else of ours. {@code libs/eventing} and
 * {@code libs/eventing-test} are the shared Spring code and may use Spring and Kafka, but no service.
 */
final class HouseRules {

    /** Root packages of the services. */
    static final List<String> SERVICES = List.of("registry", "attestation", "keybroker", "orchestrator", "audit",
            "gateway");
    /** Root packages of the Spring-free libraries. */
    static final List<String> SPRING_FREE_LIBS = List.of("transparencylog", "initdata", "kbsprotocol", "teeevidence",
            "ocicrypt", "testkit", "cli", "katasim");

    private HouseRules() {
    }

    private static String[] servicePackages() {
        return SERVICES.stream().map(s -> "io.cocoplane." + s + "..").toArray(String[]::new);
    }

    private static String[] libPackages() {
        return SPRING_FREE_LIBS.stream().map(s -> "io.cocoplane." + s + "..").toArray(String[]::new);
    }

    static final ArchRule SERVICES_ARE_INDEPENDENT = slices()
            .matching("io.cocoplane.(" + String.join("|", SERVICES) + ")..")
            .should().notDependOnEachOther()
            .allowEmptyShould(true)
            .because("services meet only through contracts, libs and Kafka topics");

    static final ArchRule LIBS_ARE_SPRING_FREE = noClasses().that().resideInAnyPackage(libPackages())
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.kafka..")
            .orShould().dependOnClassesThat().resideInAnyPackage(servicePackages())
            .allowEmptyShould(true)
            .because("domain libraries are plain Java, reusable from any shell");

    static final ArchRule SHARED_SPRING_CODE_IMPORTS_NO_SERVICE = noClasses()
            .that().resideInAnyPackage("io.cocoplane.eventing..")
            .should().dependOnClassesThat().resideInAnyPackage(servicePackages())
            .allowEmptyShould(true);

    static final ArchRule CONTRACTS_IMPORT_NOTHING_OF_OURS = noClasses().that().resideInAPackage("io.cocoplane.contracts..")
            .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.cocoplane..")
                    .and(JavaClass.Predicates.resideOutsideOfPackage("io.cocoplane.contracts..")))
            .allowEmptyShould(true)
            .because("contracts are the shared language and depend on no module");

    /** Tools that drive the platform from outside (the local-stack launcher): no Spring, never a service's code. */
    static final ArchRule TOOLS_IMPORT_NO_SERVICE_OR_SPRING = noClasses().that().resideInAnyPackage("io.cocoplane.local..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
            .orShould().dependOnClassesThat().resideInAnyPackage(servicePackages())
            .allowEmptyShould(true)
            .because("the launcher runs the services as processes and talks to them over HTTP and Kafka only");
}
