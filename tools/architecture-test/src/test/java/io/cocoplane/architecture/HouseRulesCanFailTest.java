package io.cocoplane.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/** Each rule, evaluated over fixture classes that break it, reports the violation: the rules can fail. */
class HouseRulesCanFailTest {

    private static final JavaClasses FIXTURES = new ClassFileImporter().importPackages(
            "io.cocoplane.transparencylog.archfixture", "io.cocoplane.registry.archfixture",
            "io.cocoplane.audit.archfixture", "io.cocoplane.contracts.archfixture");

    @Test
    void aServiceImportingAnotherServiceIsAViolation() {
        var result = HouseRules.SERVICES_ARE_INDEPENDENT.evaluate(FIXTURES);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("ImportsAnotherService").contains("AuditThing");
    }

    @Test
    void aLibraryImportingSpringOrKafkaIsAViolation() {
        var result = HouseRules.LIBS_ARE_SPRING_FREE.evaluate(FIXTURES);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("org.springframework.util.StringUtils")
                .contains("org.apache.kafka.common.TopicPartition");
    }

    @Test
    void aContractImportingAnotherModuleIsAViolation() {
        var result = HouseRules.CONTRACTS_IMPORT_NOTHING_OF_OURS.evaluate(FIXTURES);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("ContractUsingALibrary");
    }
}
