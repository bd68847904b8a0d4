package io.cocoplane.eventing.platform;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The service conventions of cocoplane, as defaults that any configuration overrides (added last, lowest precedence):
 * <ul>
 *   <li>bind {@code 127.0.0.1} unless {@code server.address} says otherwise; graceful shutdown (20 s per phase);</li>
 *   <li>actuator: {@code health} with {@code liveness} ({@code livenessState}) and {@code readiness}
 *       ({@code readinessState}, {@code db}, {@code eventing} and whatever a service adds under
 *       {@code cocoplane.readiness.include}) groups, {@code prometheus}, {@code info}, {@code metrics};</li>
 *   <li>structured JSON logs (ECS) on the console, with MDC ({@code traceId}, {@code spanId}, {@code eventId});</li>
 *   <li>every request traced (W3C {@code traceparent} in and out), nothing exported unless configured;</li>
 *   <li>HTTPS from the SSL bundle {@code cocoplane} when {@code cocoplane.tls.certificate} and
 *       {@code cocoplane.tls.private-key} (PEM) are set.</li>
 * </ul>
 */
public class PlatformDefaults implements EnvironmentPostProcessor {

    /** Name of the property source holding the defaults. */
    public static final String SOURCE = "cocoplaneDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("server.address", "127.0.0.1");
        d.put("server.shutdown", "graceful");
        d.put("spring.lifecycle.timeout-per-shutdown-phase", "20s");
        d.put("server.max-http-request-header-size", "16KB");
        d.put("spring.threads.virtual.enabled", "true");
        d.put("management.endpoints.web.exposure.include", "health,info,prometheus,metrics");
        d.put("management.endpoint.health.probes.enabled", "true");
        d.put("management.endpoint.health.show-details", "always");
        d.put("management.endpoint.health.group.liveness.include", "livenessState");
        String extra = env.getProperty("cocoplane.readiness.include", "");
        d.put("management.endpoint.health.group.readiness.include",
                "readinessState,db,eventing" + (extra.isBlank() ? "" : "," + extra));
        d.put("management.tracing.sampling.probability", "1.0");
        d.put("management.opentelemetry.tracing.export.otlp.enabled", "false");
        d.put("management.otlp.metrics.export.enabled", "false");
        d.put("management.opentelemetry.logging.export.otlp.enabled", "false");
        d.put("logging.structured.format.console", "ecs");
        d.put("spring.kafka.admin.operation-timeout", "5s");
        d.put("spring.kafka.admin.fail-fast", "false");
        d.put("spring.flyway.create-schemas", "true");
        if (env.containsProperty("cocoplane.tls.certificate") && env.containsProperty("cocoplane.tls.private-key")) {
            d.put("spring.ssl.bundle.pem.cocoplane.keystore.certificate", env.getProperty("cocoplane.tls.certificate"));
            d.put("spring.ssl.bundle.pem.cocoplane.keystore.private-key", env.getProperty("cocoplane.tls.private-key"));
            d.put("server.ssl.bundle", "cocoplane");
        }
        env.getPropertySources().addLast(new MapPropertySource(SOURCE, d));
    }
}
