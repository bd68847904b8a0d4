package io.cocoplane.eventing;

import io.cocoplane.eventing.test.KafkaTopicReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cocoplane.contracts.AgentPolicyOptions;
import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.Topics;
import io.cocoplane.contracts.WorkloadRequested;
import io.cocoplane.eventing.test.TestInfra;
import io.micrometer.core.instrument.MeterRegistry;

/** Idempotent consumption and dead-lettering against a real broker and a real PostgreSQL. */
@TestInfra(schema = "eventing_consumer_it")
@SpringBootTest(classes = TestApp.class)
class ConsumerTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CloudEventCodec codec;
    @Autowired
    EventingAutoConfiguration.EventingKafka kafka;
    @Autowired
    MeterRegistry meters;
    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    private ProducerRecord<String, byte[]> cloudEvent(UUID id, String workloadId, String name) {
        WorkloadRequested data = new WorkloadRequested(workloadId, name, "default", "r/i:t", "snp", List.of(),
                new AgentPolicyOptions(false, false), null, "tester");
        var type = EventCatalog.WORKLOAD_REQUESTED;
        return codec.encode(new OutboxRow(0, id, type.topic(), workloadId, type.ceType(), "/cocoplane/test", workloadId,
                type.dataSchema(), OffsetDateTime.now(), null, codec.payload(data)));
    }

    private RecordMetadata send(ProducerRecord<String, byte[]> r) throws Exception {
        return kafka.template().send(r).get().getRecordMetadata();
    }

    private long effects(String workloadId) {
        return jdbc.queryForObject("SELECT count(*) FROM test_effects WHERE workload_id = ?", Long.class, workloadId);
    }

    private double counter(String name, String type) {
        var c = meters.find(name).tag("group", "eventing-test").tag("type", type).counter();
        return c == null ? 0 : c.count();
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** spring-kafka writes the original offset as an 8-byte big-endian long. */
    static long longHeader(ConsumerRecord<String, byte[]> r, String name) {
        return java.nio.ByteBuffer.wrap(r.headers().lastHeader(name).value()).getLong();
    }

    /** spring-kafka writes the original partition as a 4-byte big-endian int. */
    static int intHeader(ConsumerRecord<String, byte[]> r, String name) {
        return java.nio.ByteBuffer.wrap(r.headers().lastHeader(name).value()).getInt();
    }

    @Test
    void theSameRecordDeliveredTwiceHasItsEffectOnce() throws Exception {
        String type = EventCatalog.WORKLOAD_REQUESTED.ceType();
        double duplicatesBefore = counter("cocoplane.events.duplicates", type);
        String wl = "wl-dup-" + UUID.randomUUID();
        UUID id = UUID.randomUUID();
        send(cloudEvent(id, wl, "dup"));
        send(cloudEvent(id, wl, "dup"));
        // wait until the second delivery was seen and skipped, not merely until the first was handled
        await().atMost(Duration.ofSeconds(30))
                .until(() -> counter("cocoplane.events.duplicates", type) >= duplicatesBefore + 1);
        assertThat(effects(wl)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM eventing_inbox WHERE event_id = ? AND consumer_group = ?",
                Long.class, id.toString(), "eventing-test")).isEqualTo(1);
    }

    @Test
    void poisonAndFailingRecordsAreDeadLetteredWithTheirReasonAndThePartitionMovesOn() throws Exception {
        String key = "wl-poison-" + UUID.randomUUID();
        // 1. not a CloudEvent at all (no ce_* headers, not JSON)
        RecordMetadata garbage = send(new ProducerRecord<>(Topics.WORKLOAD_COMMANDS, key,
                "\u0000not a cloudevent".getBytes(StandardCharsets.UTF_8)));
        // 2. a valid event whose handler always throws
        RecordMetadata failing = send(cloudEvent(UUID.randomUUID(), key, TestApp.ALWAYS_FAILS));
        // 3. a good event behind them on the same partition (same key)
        RecordMetadata good = send(cloudEvent(UUID.randomUUID(), key, "fine"));
        assertThat(failing.partition()).isEqualTo(garbage.partition()).isEqualTo(good.partition());

        await().atMost(Duration.ofSeconds(60)).until(() -> effects(key) == 1);

        List<ConsumerRecord<String, byte[]>> dlt = await().atMost(Duration.ofSeconds(30)).until(
                () -> KafkaTopicReader.readAll(bootstrap, Topics.deadLetter(Topics.WORKLOAD_COMMANDS)).stream()
                        .filter(r -> key.equals(r.key())).toList(), l -> l.size() == 2);

        ConsumerRecord<String, byte[]> d1 = dlt.stream()
                .filter(r -> longHeader(r, "kafka_dlt-original-offset") == garbage.offset()).findFirst().orElseThrow();
        assertThat(intHeader(d1, "kafka_dlt-original-partition")).isEqualTo(garbage.partition());
        assertThat(header(d1, "kafka_dlt-exception-fqcn")).isEqualTo(PoisonRecordException.class.getName());
        assertThat(header(d1, "kafka_dlt-exception-message")).contains("not a CloudEvents binary-mode record");
        assertThat(header(d1, "kafka_dlt-original-topic")).isEqualTo(Topics.WORKLOAD_COMMANDS);
        assertThat(d1.value()).isEqualTo("\u0000not a cloudevent".getBytes(StandardCharsets.UTF_8));

        ConsumerRecord<String, byte[]> d2 = dlt.stream().filter(r -> r != d1).findFirst().orElseThrow();
        assertThat(longHeader(d2, "kafka_dlt-original-offset")).isEqualTo(failing.offset());
        assertThat(intHeader(d2, "kafka_dlt-original-partition")).isEqualTo(failing.partition());
        assertThat(header(d2, "kafka_dlt-exception-fqcn")).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(d2, "kafka_dlt-exception-message")).contains("handler refuses " + key);
        assertThat(header(d2, "kafka_dlt-original-topic")).isEqualTo(Topics.WORKLOAD_COMMANDS);
        assertThat(header(d2, "ce_type")).isEqualTo(EventCatalog.WORKLOAD_REQUESTED.ceType());
        assertThat(header(d2, SubscriptionContainers.HEADER_GROUP)).isEqualTo("eventing-test");

        // the failing record was retried (max-attempts 3 = 2 retries) before it was dead-lettered; the poison one not
        var retried = meters.find("cocoplane.events.retried").tag("group", "eventing-test").counter();
        var deadLettered = meters.find("cocoplane.events.dead-lettered").tag("group", "eventing-test").counter();
        assertThat(retried).isNotNull();
        assertThat(retried.count()).isGreaterThanOrEqualTo(2);
        assertThat(deadLettered.count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aRecordWhoseHandlerFindsNoDatabaseIsRetriedPastMaxAttemptsAndNotDeadLettered() throws Exception {
        String key = "wl-outage-" + UUID.randomUUID();
        RecordMetadata outage = send(cloudEvent(UUID.randomUUID(), key, TestApp.DATABASE_OUTAGE));
        RecordMetadata behind = send(cloudEvent(UUID.randomUUID(), key + "-behind", "fine"));

        // max-attempts is 3, the outage lasts 5 deliveries: the record still has its effect, once
        await().atMost(Duration.ofSeconds(90)).until(() -> effects(key) == 1);
        assertThat(TestApp.DELIVERIES.get(key)).isEqualTo(TestApp.OUTAGE_DELIVERIES + 1);
        if (behind.partition() == outage.partition()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> effects(key + "-behind") == 1);
        }
        assertThat(KafkaTopicReader.readAll(bootstrap, Topics.deadLetter(Topics.WORKLOAD_COMMANDS)).stream()
                .filter(r -> key.equals(r.key())).toList()).isEmpty();
    }
}
