package io.cocoplane.eventing.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real Kafka broker and a real PostgreSQL, and points Spring Boot at them through system
 * properties ({@code spring.kafka.bootstrap-servers}, {@code spring.datasource.url|username|password}) set before the
 * Spring test context starts. Put it <em>above</em> {@code @SpringBootTest} so its extension runs first.
 *
 * <p>{@link Backend#EMBEDDED} (default): one in-process KRaft broker and one zonky PostgreSQL per JVM, shared by every
 * class of the fork. {@link Backend#TESTCONTAINERS}: Kafka ({@code apache/kafka}) and PostgreSQL containers; the class
 * is skipped with a message when no Docker engine answers. The system property {@code cocoplane.test.backend}
 * ({@code embedded} or {@code testcontainers}) overrides the annotation, so the same tests run on either.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TestInfraExtension.class)
public @interface TestInfra {

    /** @return the schema this test's service owns (its {@code currentSchema}), e.g. {@code registry} */
    String schema();

    /** @return where the broker and database come from */
    Backend backend() default Backend.EMBEDDED;

    /** Where the infrastructure comes from. */
    enum Backend {
        /** In-process KRaft broker and zonky embedded PostgreSQL. */
        EMBEDDED,
        /** Testcontainers Kafka and PostgreSQL; needs a Docker engine. */
        TESTCONTAINERS
    }
}
