package io.cocoplane.eventing.test;

import java.util.Optional;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link TestInfra}: starts (once per JVM) the chosen backend and publishes its addresses as
 * system properties before each annotated class. See {@link TestInfra} for the contract.
 */
public final class TestInfraExtension implements BeforeAllCallback, ExecutionCondition {

    /** System property that overrides {@link TestInfra#backend()}. */
    public static final String BACKEND_PROPERTY = "cocoplane.test.backend";

    private static KraftBroker embeddedBroker;

    /** @return the JVM-wide embedded broker, started on first call */
    public static synchronized KraftBroker embeddedBroker() {
        if (embeddedBroker == null) {
            KraftBroker b = KraftBroker.temporary();
            b.start();
            Runtime.getRuntime().addShutdownHook(new Thread(b::close, "kraft-test-shutdown"));
            embeddedBroker = b;
        }
        return embeddedBroker;
    }

    private static TestInfra.Backend backend(TestInfra infra) {
        String forced = System.getProperty(BACKEND_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return TestInfra.Backend.valueOf(forced.trim().toUpperCase(java.util.Locale.ROOT));
        }
        return infra.backend();
    }

    private static Optional<TestInfra> annotation(ExtensionContext context) {
        return context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, TestInfra.class));
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<TestInfra> infra = annotation(context);
        if (infra.isEmpty() || backend(infra.get()) != TestInfra.Backend.TESTCONTAINERS) {
            return ConditionEvaluationResult.enabled("embedded Kafka and PostgreSQL");
        }
        return ContainerInfra.dockerAvailable()
                ? ConditionEvaluationResult.enabled("Docker engine available: Testcontainers Kafka and PostgreSQL")
                : ConditionEvaluationResult.disabled("skipped: no Docker engine answers, so the Testcontainers "
                + "backend cannot run here (the same tests run on the embedded backend)");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        properties(annotation(context).orElseThrow()).forEach(System::setProperty);
    }

    /**
     * Starts the backend a {@link TestInfra} asks for (once per JVM) and returns the Spring properties that point at
     * it. Also used by {@link TestInfraContextCustomizerFactory}, which puts them into the Spring test context itself
     * so that they are part of its cache key.
     *
     * @param infra the annotation
     * @return {@code spring.kafka.bootstrap-servers}, {@code spring.datasource.*} and {@code spring.flyway.*}
     */
    static java.util.Map<String, String> properties(TestInfra infra) {
        String bootstrap;
        String jdbcUrl;
        String user;
        String password;
        if (backend(infra) == TestInfra.Backend.TESTCONTAINERS) {
            bootstrap = ContainerInfra.kafkaBootstrapServers();
            jdbcUrl = ContainerInfra.jdbcUrl(infra.schema());
            user = ContainerInfra.USER;
            password = ContainerInfra.PASSWORD;
        } else {
            bootstrap = embeddedBroker().bootstrapServers();
            jdbcUrl = EmbeddedPostgresServer.jdbcUrl(infra.schema());
            user = "postgres";
            password = "postgres";
        }
        java.util.Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("spring.kafka.bootstrap-servers", bootstrap);
        p.put("spring.datasource.url", jdbcUrl);
        p.put("spring.datasource.username", user);
        p.put("spring.datasource.password", password);
        p.put("spring.flyway.default-schema", infra.schema());
        p.put("spring.flyway.schemas", infra.schema());
        return p;
    }

    /** @return the backend in force for an annotation (the system property overrides it) */
    static TestInfra.Backend backendOf(TestInfra infra) {
        return backend(infra);
    }
}
