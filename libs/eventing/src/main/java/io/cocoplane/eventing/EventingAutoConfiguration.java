package io.cocoplane.eventing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.cocoplane.contracts.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of cocoplane eventing for a service with a {@link DataSource} and Kafka: the outbox tables,
 * {@link EventPublisher}, {@link OutboxRelay}, one listener container per {@link EventSubscription} bean, the
 * catalogue topics and their dead-letter topics, and the {@code eventing} health indicator.
 *
 * <p>The producer is idempotent ({@code enable.idempotence=true}, {@code acks=all}) with bounded blocking
 * ({@code max.block.ms} 5 s, {@code delivery.timeout.ms} 15 s unless set under {@code spring.kafka.producer.properties}).
 */
@AutoConfiguration(after = {KafkaAutoConfiguration.class, DataSourceAutoConfiguration.class,
        FlywayAutoConfiguration.class})
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(EventingProperties.class)
public class EventingAutoConfiguration {

    /** The producer the relay and the dead-letter recoverer share. */
    public static final class EventingKafka implements DisposableBean {
        private final DefaultKafkaProducerFactory<String, byte[]> factory;
        private final KafkaTemplate<String, byte[]> template;

        EventingKafka(Map<String, Object> producerConfig) {
            this.factory = new DefaultKafkaProducerFactory<>(producerConfig, new StringSerializer(),
                    new ByteArraySerializer());
            this.template = new KafkaTemplate<>(factory);
        }

        /** @return the producer template (String keys, byte[] values) */
        public KafkaTemplate<String, byte[]> template() {
            return template;
        }

        @Override
        public void destroy() {
            factory.destroy();
        }
    }

    @Bean
    EventingSchema eventingSchema(DataSource dataSource, Environment env,
                                  ObjectProvider<FlywayMigrationInitializer> serviceMigrations) {
        serviceMigrations.ifAvailable(m -> { }); // the service's own migrations run first
        return new EventingSchema(dataSource, env.getProperty("spring.flyway.default-schema"));
    }

    @Bean
    @ConditionalOnMissingBean
    CloudEventCodec cloudEventCodec(EventingProperties props) {
        return new CloudEventCodec(JsonMapper.builder().build(), props.consumer().maxRecordBytes());
    }

    @Bean
    TraceContext eventingTraceContext(ObjectProvider<Tracer> tracer) {
        return new TraceContext(tracer);
    }

    @Bean
    EventingKafka eventingKafka(KafkaProperties kafka) {
        Map<String, Object> cfg = new HashMap<>(kafka.buildProducerProperties());
        cfg.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        cfg.put(ProducerConfig.ACKS_CONFIG, "all");
        cfg.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        cfg.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        cfg.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15000);
        cfg.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        cfg.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return new EventingKafka(cfg);
    }

    private static MeterRegistry meters(ObjectProvider<MeterRegistry> registry) {
        return registry.getIfAvailable(SimpleMeterRegistry::new);
    }

    private static TransactionTemplate tx(ObjectProvider<PlatformTransactionManager> tm, DataSource ds) {
        return new TransactionTemplate(tm.getIfAvailable(() -> new DataSourceTransactionManager(ds)));
    }

    @Bean
    EventPublisher eventPublisher(EventingSchema schema, DataSource dataSource, CloudEventCodec codec,
                                  EventingProperties props, Environment env, TraceContext trace,
                                  ObjectProvider<Clock> clock, ObjectProvider<MeterRegistry> registry,
                                  ObjectProvider<OutboxRelay> relay) {
        String source = props.source() != null ? props.source()
                : "/cocoplane/" + env.getProperty("spring.application.name", "unnamed");
        return new EventPublisher(new JdbcTemplate(dataSource), codec, source, trace,
                clock.getIfAvailable(Clock::systemUTC), meters(registry), () -> relay.ifAvailable(OutboxRelay::wakeUp));
    }

    @Bean
    @ConditionalOnProperty(name = "cocoplane.eventing.relay.enabled", havingValue = "true", matchIfMissing = true)
    OutboxRelay outboxRelay(EventingSchema schema, DataSource dataSource, ObjectProvider<PlatformTransactionManager> tm,
                            EventingKafka kafka, CloudEventCodec codec, EventingProperties props,
                            ObjectProvider<MeterRegistry> registry) {
        return new OutboxRelay(new JdbcTemplate(dataSource), tx(tm, dataSource), kafka.template(), codec,
                props.relay(), meters(registry));
    }

    @Bean
    SubscriptionContainers subscriptionContainers(EventingSchema schema, ObjectProvider<EventSubscription> subs,
                                                  KafkaProperties kafka, EventingKafka producer, CloudEventCodec codec,
                                                  DataSource dataSource, ObjectProvider<PlatformTransactionManager> tm,
                                                  TraceContext trace, EventingProperties props,
                                                  ObjectProvider<MeterRegistry> registry) {
        return new SubscriptionContainers(subs.orderedStream().toList(), kafka.buildConsumerProperties(),
                producer.template(), codec, new JdbcTemplate(dataSource), tx(tm, dataSource), trace,
                props.consumer(), meters(registry));
    }

    private static List<String> neededTopics(ObjectProvider<EventSubscription> subs) {
        Set<String> topics = new LinkedHashSet<>(Topics.ALL);
        subs.orderedStream().forEach(s -> s.topics().forEach(t -> topics.add(Topics.deadLetter(t))));
        return new ArrayList<>(topics);
    }

    @Bean
    @ConditionalOnProperty(name = "cocoplane.eventing.create-topics", havingValue = "true", matchIfMissing = true)
    KafkaAdmin.NewTopics cocoplaneTopics(ObjectProvider<EventSubscription> subs, EventingProperties props) {
        return new KafkaAdmin.NewTopics(neededTopics(subs).stream()
                .map(t -> new NewTopic(t, props.partitions(), props.replicationFactor()))
                .toArray(NewTopic[]::new));
    }

    @Bean(name = "eventingHealthIndicator")
    @ConditionalOnBean(KafkaAdmin.class)
    EventingHealthIndicator eventingHealthIndicator(KafkaAdmin admin, DataSource dataSource,
                                                    ObjectProvider<EventSubscription> subs) {
        return new EventingHealthIndicator(admin, new JdbcTemplate(dataSource), neededTopics(subs));
    }
}
