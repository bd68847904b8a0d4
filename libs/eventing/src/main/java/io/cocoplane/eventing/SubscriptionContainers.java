package io.cocoplane.eventing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.transaction.support.TransactionTemplate;

import io.cocoplane.contracts.Topics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Runs one Kafka listener container per {@link EventSubscription} bean.
 *
 * <p>Error handling: a handler failure is retried with exponential backoff ({@code consumer.backoff} doubling up to
 * {@code consumer.max-backoff}) for {@code consumer.max-attempts} deliveries in all; a {@link PoisonRecordException}
 * is not retried. Then the record is published unchanged (value, key, {@code ce_*} headers) to {@code <topic>.dlt}
 * with spring-kafka's reason headers ({@code kafka_dlt-exception-fqcn}, {@code kafka_dlt-exception-message},
 * {@code kafka_dlt-exception-stacktrace}, {@code kafka_dlt-original-topic}, {@code -partition}, {@code -offset},
 * plus {@value #HEADER_GROUP}), its offset is committed, and the partition moves on.
 *
 * <p>A subscription in batch mode ({@link EventSubscription#batchMode()}) gets a batch listener
 * ({@code max.poll.records} = its batch size, offsets committed once per poll) that names the failing record with
 * spring-kafka's {@code BatchListenerFailedException}; the same error handler then commits the offsets before it and
 * retries or dead-letters that record as above, so failures stay per record.
 */
public class SubscriptionContainers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionContainers.class);

    /** Dead-letter header naming the consumer group that gave up on the record. */
    public static final String HEADER_GROUP = "cocoplane-dlt-consumer-group";

    private final List<ConcurrentMessageListenerContainer<String, byte[]>> containers = new ArrayList<>();
    private volatile boolean running;

    /**
     * @param subscriptions  the service's subscriptions
     * @param consumerConfig base consumer properties (bootstrap servers, security) from Boot's {@code spring.kafka}
     * @param dltTemplate    producer used to write dead-letter records
     * @param codec          CloudEvents codec
     * @param jdbc           template for the inbox
     * @param tx             transactions on the service's data source
     * @param trace          trace propagation
     * @param settings       consumer settings
     * @param meters         registry for {@code cocoplane.events.retried} and {@code cocoplane.events.dead-lettered}
     */
    public SubscriptionContainers(List<EventSubscription> subscriptions, Map<String, Object> consumerConfig,
                                  KafkaTemplate<String, byte[]> dltTemplate, CloudEventCodec codec, JdbcTemplate jdbc,
                                  TransactionTemplate tx, TraceContext trace, EventingProperties.Consumer settings,
                                  MeterRegistry meters) {
        for (EventSubscription s : subscriptions) {
            Map<String, Object> props = new HashMap<>(consumerConfig);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, s.group());
            props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            if (s.batchMode()) {
                props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, s.maxBatchRecords());
            } else {
                props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
            }
            var factory = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(), new ByteArrayDeserializer());
            ContainerProperties cp = new ContainerProperties(s.topics().toArray(new String[0]));
            if (s.batchMode()) {
                cp.setAckMode(ContainerProperties.AckMode.BATCH);
                cp.setMessageListener(new BatchSubscriptionListener(s, codec, jdbc, tx, trace, meters));
            } else {
                cp.setAckMode(ContainerProperties.AckMode.RECORD);
                cp.setMessageListener(new SubscriptionListener(s, codec, jdbc, tx, trace, meters));
            }
            cp.setObservationEnabled(false);
            var container = new ConcurrentMessageListenerContainer<>(factory, cp);
            container.setConcurrency(settings.concurrency());
            container.setBeanName("cocoplane-" + s.group());

            var recoverer = new DeadLetterPublishingRecoverer(dltTemplate,
                    (rec, ex) -> new TopicPartition(Topics.deadLetter(rec.topic()), -1));
            recoverer.setHeadersFunction((rec, ex) -> new RecordHeaders(new Header[] {
                    new RecordHeader(HEADER_GROUP, s.group().getBytes(StandardCharsets.UTF_8))}));
            var backOff = new ExponentialBackOffWithMaxRetries(settings.maxAttempts() - 1);
            backOff.setInitialInterval(settings.backoff().toMillis());
            backOff.setMultiplier(2.0);
            backOff.setMaxInterval(settings.maxBackoff().toMillis());
            DefaultErrorHandler errors = new DefaultErrorHandler((rec, ex) -> {
                log.warn("dead-lettering {}-{}@{} of group {}: {}", rec.topic(), rec.partition(), rec.offset(),
                        s.group(), rootMessage(ex));
                meters.counter("cocoplane.events.dead-lettered", "group", s.group(), "topic", rec.topic()).increment();
                recoverer.accept(rec, reason(ex));
            }, backOff);
            errors.addNotRetryableExceptions(PoisonRecordException.class);
            // an outage of the database is not the record's fault: retry it until the outage ends, never dead-letter
            var outage = new ExponentialBackOff(settings.backoff().toMillis(), 2.0);
            outage.setMaxInterval(Math.max(settings.maxBackoff().toMillis(), 5_000));
            errors.setBackOffFunction((rec, ex) -> TransientFailures.isTransient(ex) ? outage : null);
            errors.setRetryListeners((rec, ex, attempt) ->
                    meters.counter("cocoplane.events.retried", "group", s.group(), "topic", rec.topic()).increment());
            errors.setCommitRecovered(true);
            if (s.batchMode()) {
                // hand the records after a failed one back to the listener instead of seeking and polling them again
                // (which also makes the container log "Seek to current after exception" at ERROR after every
                // recovered record)
                errors.setSeekAfterError(false);
            }
            container.setCommonErrorHandler(errors);
            containers.add(container);
        }
    }

    /**
     * The reason headers name the handler's or decoder's exception, not the container's wrapper
     * ({@link ListenerExecutionFailedException}) nor the batch listener's ({@link BatchListenerFailedException}).
     */
    static Exception reason(Exception ex) {
        Exception e = ex;
        while ((e instanceof ListenerExecutionFailedException || e instanceof BatchListenerFailedException)
                && e.getCause() instanceof Exception c && c != e) {
            e = c;
        }
        return e;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.toString();
    }

    @Override
    public synchronized void start() {
        containers.forEach(ConcurrentMessageListenerContainer::start);
        running = true;
    }

    @Override
    public synchronized void stop() {
        containers.forEach(ConcurrentMessageListenerContainer::stop);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 300;
    }

    /** @return the containers, one per subscription (for tests and health) */
    public List<ConcurrentMessageListenerContainer<String, byte[]>> containers() {
        return List.copyOf(containers);
    }
}
