package io.cocoplane.attestation;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The attestation service (port 8082): trustee-compatible {@code POST /attestation} answering with ES256 EAR tokens,
 * {@code GET /.well-known/jwks.json}, and the admin API for reference values and CEL appraisal policies, all kept in
 * the PostgreSQL schema {@code attestation}. Consumes {@code coco.workload.events} to learn which init-data digest
 * belongs to which workload; publishes {@code attestation.completed} for every verification.
 */
@SpringBootApplication
@EnableConfigurationProperties(AttestationProperties.class)
public class AttestationApplication {

    /**
     * @param args Spring Boot command-line arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(AttestationApplication.class, args);
    }
}
