package io.cocoplane.keybroker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The key broker service (port 8081): the CoCo KBS protocol under {@code /kbs/v0/} (RCAR handshake, resource release
 * as JWE) backed by the attestation service over HTTP, a CEL release policy bound to scheduled workloads, resources
 * envelope-encrypted in the PostgreSQL schema {@code keybroker}, and a trustee-style admin API; every release, denial
 * and admin change is an event on {@code coco.key.events}.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(KeyBrokerProperties.class)
public class KeyBrokerApplication {

    /**
     * @param args Spring Boot command-line arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(KeyBrokerApplication.class, args);
    }
}
