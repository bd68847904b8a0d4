package io.cocoplane.eventing.test;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Makes {@link TestInfra} part of the Spring test context's identity: the schema and the backend become a
 * {@link ContextCustomizer} (so two classes with different {@code @TestInfra} never share a cached context) that adds
 * the backend's addresses as a property source just above the system properties. {@code @DynamicPropertySource} and
 * inlined test properties still win over it. Registered in {@code META-INF/spring.factories}.
 */
public final class TestInfraContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        TestInfra infra = AnnotatedElementUtils.findMergedAnnotation(testClass, TestInfra.class);
        return infra == null ? null : new Customizer(infra.schema(), TestInfraExtension.backendOf(infra), infra);
    }

    private static final class Customizer implements ContextCustomizer {
        private final String schema;
        private final TestInfra.Backend backend;
        private final TestInfra infra;

        Customizer(String schema, TestInfra.Backend backend, TestInfra infra) {
            this.schema = schema;
            this.backend = backend;
            this.infra = infra;
        }

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            Map<String, Object> props = Map.copyOf(TestInfraExtension.properties(infra));
            var sources = context.getEnvironment().getPropertySources();
            MapPropertySource source = new MapPropertySource("cocoplaneTestInfra", props);
            if (sources.contains(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME)) {
                sources.addBefore(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, source);
            } else {
                sources.addLast(source);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Customizer c && c.schema.equals(schema) && c.backend == backend;
        }

        @Override
        public int hashCode() {
            return Objects.hash(schema, backend);
        }
    }
}
