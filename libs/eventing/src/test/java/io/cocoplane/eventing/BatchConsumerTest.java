package io.cocoplane.eventing;

import static org.assertj.core.api.Assertions.assertThat;
import static io.cocoplane.eventing.ConsumerTest.header;
import static io.cocoplane.eventing.ConsumerTest.intHeader;
import static io.cocoplane.eventing.ConsumerTest.longHeader;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

import io.cocoplane.contracts.KeyResourceDeleted;
import io.cocoplane.contracts.CocoEvent;
import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.Topics;
import io.cocoplane.eventing.test.KafkaTopicReader;
import io.cocoplane.eventing.test.TestInfra;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Batch mode against a real broker and a real PostgreSQL: the cases of {@link ConsumerTest} (deduplication, poison
 * and failing records dead-lettered with their reason while the records behind them are handled) plus a failing
 * batch whose rollback loses nothing. Two batch subscriptions read the same topic: {@value #LISTS} with a
 * {@link BatchEventHandler} and {@value #EACH} with a per-type handler in batch mode; every case is checked for both.
 * The containers are paused while a case's records are produced, so that one poll returns them together.
 */
@TestInfra(schema = "eventing_batch_it")
@SpringBootTest(classes = {TestApp.class, BatchConsumerTest.BatchSubscriptions.class})
class BatchConsumerTest {

    static final String LISTS = "eventing-test-batch";
    static final String EACH = "eventing-test-batch-each";
    static final List<String> GROUPS = List.of(LISTS, EACH);
    /** A topic no other test of this module reads, so only these two groups act on the records. */
    static final String TOPIC = Topics.KEY_EVENTS;
    /** The consumer's {@code fetch.max.wait.ms} (Kafka's default, not overridden here). */
    static final Duration FETCH_MAX_WAIT = Duration.ofMillis(500);

    /** The lists the batch handler of {@value #LISTS} was called with: resource paths, per call. */
    static final List<List<String>> CALLS = new CopyOnWriteArrayList<>();

    @TestConfiguration
    static class BatchSubscriptions {
        @Bean
        EventSubscription listSubscription(JdbcTemplate jdbc) {
            return EventSubscription.group(LISTS).batch(50)
                    .onAllInBatches(List.of(TOPIC), events -> {
                        List<EventEnvelope<CocoEvent>> ours = events.stream()
                                .filter(e -> e.data() instanceof KeyResourceDeleted).toList();
                        CALLS.add(ours.stream().map(e -> ((KeyResourceDeleted) e.data()).resourcePath()).toList());
                        for (EventEnvelope<CocoEvent> e : ours) {
                            effect(jdbc, LISTS, e.id(), (KeyResourceDeleted) e.data());
                        }
                    })
                    .build();
        }

        @Bean
        EventSubscription eachSubscription(JdbcTemplate jdbc) {
            return EventSubscription.group(EACH).batch(50)
                    .on(EventCatalog.KEY_RESOURCE_DELETED, e -> effect(jdbc, EACH, e.id(), e.data()))
                    .build();
        }

        private static void effect(JdbcTemplate jdbc, String group, String eventId, KeyResourceDeleted k) {
            if (TestApp.ALWAYS_FAILS.equals(k.deletedBy())) {
                throw new IllegalStateException("handler refuses " + k.resourcePath());
            }
            jdbc.update("INSERT INTO test_effects (event_id, workload_id, consumer_group) VALUES (?, ?, ?)", eventId,
                    k.resourcePath(), group);
        }
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CloudEventCodec codec;
    @Autowired
    EventingAutoConfiguration.EventingKafka kafka;
    @Autowired
    MeterRegistry meters;
    @Autowired
    SubscriptionContainers subscriptions;
    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    /** A {@code key.resource-deleted} event: the path is the effect's id, {@code deletedBy} may make it fail. */
    private ProducerRecord<String, byte[]> cloudEvent(UUID id, String key, String path, String deletedBy) {
        KeyResourceDeleted data = new KeyResourceDeleted(path, deletedBy);
        var type = EventCatalog.KEY_RESOURCE_DELETED;
        return codec.encode(new OutboxRow(0, id, type.topic(), key, type.ceType(), "/cocoplane/test", path,
                type.dataSchema(), OffsetDateTime.now(), null, codec.payload(data)));
    }

    private RecordMetadata send(ProducerRecord<String, byte[]> r) throws Exception {
        return kafka.template().send(r).get().getRecordMetadata();
    }

    private List<ConcurrentMessageListenerContainer<String, byte[]>> batchContainers() {
        return subscriptions.containers().stream()
                .filter(c -> GROUPS.stream().anyMatch(g -> ("cocoplane-" + g).equals(c.getBeanName()))).toList();
    }

    /** Pauses both batch containers once they own their partitions, so the next records arrive in one poll. */
    private void pause() throws InterruptedException {
        List<ConcurrentMessageListenerContainer<String, byte[]>> cs = batchContainers();
        assertThat(cs).hasSize(2);
        await().atMost(Duration.ofSeconds(60)).until(() -> cs.stream().allMatch(c -> c.getAssignedPartitions() != null
                && !c.getAssignedPartitions().isEmpty()));
        cs.forEach(ConcurrentMessageListenerContainer::pause);
        await().atMost(Duration.ofSeconds(30)).until(() -> cs.stream().allMatch(c -> c.isContainerPaused()));
        // a fetch sent before the pause is answered with the first record that arrives, and that record is then
        // returned alone after the resume; such a fetch lives at most fetch.max.wait.ms (500 ms by default)
        Thread.sleep(FETCH_MAX_WAIT.toMillis() * 2);
    }

    @AfterEach
    void resume() {
        batchContainers().forEach(ConcurrentMessageListenerContainer::resume);
    }

    private long effects(String group, String workloadId) {
        return jdbc.queryForObject("SELECT count(*) FROM test_effects WHERE consumer_group = ? AND workload_id = ?",
                Long.class, group, workloadId);
    }

    private long inbox(String group, UUID id) {
        return jdbc.queryForObject("SELECT count(*) FROM eventing_inbox WHERE consumer_group = ? AND event_id = ?",
                Long.class, group, id.toString());
    }

    private double counter(String name, String group) {
        var c = meters.find(name).tag("group", group).counter();
        return c == null ? 0 : c.count();
    }

    /** The list handler's call that contained {@code workloadId}, first one. */
    private static List<String> firstCallWith(String workloadId) {
        return CALLS.stream().filter(c -> c.contains(workloadId)).findFirst().orElseThrow();
    }

    @Test
    void anEventDeliveredTwiceInOneBatchAndAgainLaterHasItsEffectOnce() throws Exception {
        String key = "batch-dup-" + UUID.randomUUID();
        String wl = key + "-a";
        String other = key + "-b";
        UUID id = UUID.randomUUID();
        double[] dupsBefore = GROUPS.stream().mapToDouble(g -> counter("cocoplane.events.duplicates", g)).toArray();
        pause();
        send(cloudEvent(id, key, wl, "dup"));
        send(cloudEvent(id, key, wl, "dup"));
        send(cloudEvent(UUID.randomUUID(), key, other, "fine"));
        resume();
        for (String g : GROUPS) {
            await().atMost(Duration.ofSeconds(30)).until(() -> effects(g, other) == 1);
        }
        send(cloudEvent(id, key, wl, "dup")); // a redelivery in a later batch
        for (int i = 0; i < GROUPS.size(); i++) {
            String g = GROUPS.get(i);
            double before = dupsBefore[i];
            await().atMost(Duration.ofSeconds(30)).until(() -> counter("cocoplane.events.duplicates", g) >= before + 2);
            assertThat(effects(g, wl)).as(g).isEqualTo(1);
            assertThat(inbox(g, id)).as(g).isEqualTo(1);
        }
        // the repeat inside the poll never reached the batch handler
        List<String> call = firstCallWith(wl);
        assertThat(call).containsExactly(wl, other);
    }

    @Test
    void poisonAndFailingRecordsInABatchAreDeadLetteredWithTheirReasonAndTheRecordsBehindThemAreHandled()
            throws Exception {
        String key = "batch-poison-" + UUID.randomUUID();
        double[] retriedBefore = GROUPS.stream().mapToDouble(g -> counter("cocoplane.events.retried", g)).toArray();
        pause();
        RecordMetadata first = send(cloudEvent(UUID.randomUUID(), key, key + "-first", "fine"));
        RecordMetadata garbage = send(new ProducerRecord<>(TOPIC, key,
                "\u0000not a cloudevent".getBytes(StandardCharsets.UTF_8)));
        RecordMetadata failing = send(cloudEvent(UUID.randomUUID(), key, key + "-failing", TestApp.ALWAYS_FAILS));
        RecordMetadata last = send(cloudEvent(UUID.randomUUID(), key, key + "-last", "fine"));
        assertThat(List.of(garbage.partition(), failing.partition(), last.partition())).containsOnly(first.partition());
        resume();

        for (int i = 0; i < GROUPS.size(); i++) {
            String g = GROUPS.get(i);
            await().atMost(Duration.ofSeconds(60)).until(() -> effects(g, key + "-last") == 1);
            assertThat(effects(g, key + "-first")).as(g).isEqualTo(1);
            assertThat(effects(g, key + "-failing")).as(g).isZero();

            List<ConsumerRecord<String, byte[]>> dlt = await().atMost(Duration.ofSeconds(30)).until(
                    () -> KafkaTopicReader.readAll(bootstrap, Topics.deadLetter(TOPIC)).stream()
                            .filter(r -> key.equals(r.key()))
                            .filter(r -> g.equals(header(r, SubscriptionContainers.HEADER_GROUP))).toList(),
                    l -> l.size() == 2);
            ConsumerRecord<String, byte[]> d1 = dlt.stream()
                    .filter(r -> longHeader(r, "kafka_dlt-original-offset") == garbage.offset()).findFirst()
                    .orElseThrow();
            assertThat(intHeader(d1, "kafka_dlt-original-partition")).isEqualTo(garbage.partition());
            assertThat(header(d1, "kafka_dlt-exception-fqcn")).isEqualTo(PoisonRecordException.class.getName());
            assertThat(header(d1, "kafka_dlt-exception-message")).contains("not a CloudEvents binary-mode record");
            assertThat(header(d1, "kafka_dlt-original-topic")).isEqualTo(TOPIC);
            assertThat(d1.value()).isEqualTo("\u0000not a cloudevent".getBytes(StandardCharsets.UTF_8));

            ConsumerRecord<String, byte[]> d2 = dlt.stream().filter(r -> r != d1).findFirst().orElseThrow();
            assertThat(longHeader(d2, "kafka_dlt-original-offset")).isEqualTo(failing.offset());
            assertThat(intHeader(d2, "kafka_dlt-original-partition")).isEqualTo(failing.partition());
            assertThat(header(d2, "kafka_dlt-exception-fqcn")).isEqualTo(IllegalStateException.class.getName());
            assertThat(header(d2, "kafka_dlt-exception-message")).contains("handler refuses " + key + "-failing");
            assertThat(header(d2, "kafka_dlt-original-topic")).isEqualTo(TOPIC);
            assertThat(header(d2, "ce_type")).isEqualTo(EventCatalog.KEY_RESOURCE_DELETED.ceType());

            // the failing record was delivered max-attempts (3) times, so retried at least twice; the poison one not
            assertThat(counter("cocoplane.events.retried", g) - retriedBefore[i]).as(g).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aDeadLetteredRecordAtTheEndOfABatchHasItsOffsetCommitted() throws Exception {
        String key = "batch-last-" + UUID.randomUUID();
        pause();
        RecordMetadata good = send(cloudEvent(UUID.randomUUID(), key, key + "-good", "fine"));
        RecordMetadata failing = send(cloudEvent(UUID.randomUUID(), key, key + "-failing", TestApp.ALWAYS_FAILS));
        resume();
        TopicPartition tp = new TopicPartition(TOPIC, failing.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String g : GROUPS) {
                await().atMost(Duration.ofSeconds(60)).until(() -> effects(g, key + "-good") == 1);
                // nothing follows the failing record on its partition: only the recovery itself can commit past it,
                // so that a restart does not deliver it (and dead-letter it) again
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    OffsetAndMetadata committed = admin.listConsumerGroupOffsets(g).partitionsToOffsetAndMetadata()
                            .get().get(tp);
                    return committed != null && committed.offset() == failing.offset() + 1;
                });
            }
        }
        assertThat(good.partition()).isEqualTo(failing.partition());
    }

    @Test
    void aFailingBatchRollsBackAndLosesNothing() throws Exception {
        String key = "batch-rollback-" + UUID.randomUUID();
        List<UUID> goodIds = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        pause();
        send(cloudEvent(goodIds.get(0), key, key + "-1", "fine"));
        send(cloudEvent(goodIds.get(1), key, key + "-2", "fine"));
        send(cloudEvent(UUID.randomUUID(), key, key + "-failing", TestApp.ALWAYS_FAILS));
        send(cloudEvent(goodIds.get(2), key, key + "-3", "fine"));
        resume();

        for (String g : GROUPS) {
            await().atMost(Duration.ofSeconds(60)).until(() -> effects(g, key + "-3") == 1);
            for (int n = 1; n <= 3; n++) {
                assertThat(effects(g, key + "-" + n)).as(g + " effect " + n).isEqualTo(1);
                assertThat(inbox(g, goodIds.get(n - 1))).as(g + " inbox " + n).isEqualTo(1);
            }
            assertThat(effects(g, key + "-failing")).as(g).isZero();
        }
        // the batch handler really got the four together once (and that transaction rolled back), then one at a time
        assertThat(firstCallWith(key + "-1")).containsExactly(key + "-1", key + "-2", key + "-failing", key + "-3");
        assertThat(CALLS).contains(List.of(key + "-1"), List.of(key + "-2"));
    }
}
