package io.cocoplane.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The cocoplane gateway: the public REST API {@code /api/v1/**} (OAuth2 JWT bearer, roles {@code admin},
 * {@code deployer}, {@code auditor}), the Docker token endpoint {@code /auth/token} with its JWKS, and the OpenAPI
 * description at {@code /v3/api-docs}. Listens on 8080 (ARCHITECTURE §6); owns schema {@code gateway}.
 */
@SpringBootApplication
@EnableConfigurationProperties(GatewayProperties.class)
@EnableScheduling
public class GatewayApplication {

    /** @param args command line */
    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
