package io.cocoplane.audit;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The audit service (port 8084): appends every catalogue event to an RFC 9162 Merkle log kept in the PostgreSQL schema
 * {@code audit}, signs a C2SP checkpoint at least every second while entries arrive, publishes it as
 * {@code audit.checkpoint} and serves entries, checkpoints and proofs under {@code /api/v1/audit}.
 */
@SpringBootApplication
@EnableConfigurationProperties(AuditProperties.class)
public class AuditApplication {

    /**
     * @param args Spring Boot command-line arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(AuditApplication.class, args);
    }
}
