package io.cocoplane.registry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The cocoplane registry: OCI Distribution 1.1 at {@code /v2/**}, the read-only image API at {@code /api/v1/images},
 * garbage collection at {@code /api/v1/admin/gc}, {@code image.pushed}/{@code image.deleted} events on
 * {@code coco.image.events}. Port 5000 by default ({@code server.port}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class RegistryApplication {

    /** Starts the service. */
    public static void main(String[] args) {
        SpringApplication.run(RegistryApplication.class, args);
    }
}
