package io.cocoplane.audit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.cocoplane.contracts.AgentPolicyOptions;
import io.cocoplane.contracts.CocoEvent;
import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.EventType;
import io.cocoplane.contracts.ImageDeleted;
import io.cocoplane.contracts.KeyResourceDeleted;
import io.cocoplane.contracts.PolicyUpdated;
import io.cocoplane.contracts.ReferenceValueUpdated;
import io.cocoplane.contracts.WorkloadRequested;
import io.cocoplane.contracts.WorkloadStateChanged;
import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.EventingAutoConfiguration;
import io.cocoplane.eventing.OutboxRow;

/** Builds catalogue events of every audited topic and sends them as CloudEvents binary-mode records. */
final class TestEvents {

    static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    /** One event as produced: its id, payload and the record (re-sendable verbatim as a duplicate). */
    record Sent(UUID id, CocoEvent data, ProducerRecord<String, byte[]> record) {
        String subject() {
            return data.subject();
        }

        String ceType() {
            return EventCatalog.of(data.getClass()).ceType();
        }
    }

    private TestEvents() {
    }

    /** The i-th event of a run: cycles over six types on the five audited topics; every subject is unique. */
    static CocoEvent event(String run, int i) {
        String s = run + "-" + i;
        return switch (i % 6) {
            case 0 -> new WorkloadRequested("wl-" + s, "llm", "default", "registry.local/llm:1", "snp", List.of(),
                    new AgentPolicyOptions(false, false), null, "tester");
            case 1 -> new WorkloadStateChanged("wl-" + s, null, "SCHEDULED", null, "détail ✓");
            case 2 -> new ImageDeleted("repo-" + s, "sha256:" + "ab".repeat(32), List.of("v1", "latest"));
            case 3 -> new ReferenceValueUpdated("rv-" + s, "admin", "sha256:" + "cd".repeat(32));
            case 4 -> new KeyResourceDeleted("default/kek/" + s, "admin");
            default -> new PolicyUpdated("policy-" + s, "resource", "admin", "sha256:" + "ef".repeat(32));
        };
    }

    static Sent record(CloudEventCodec codec, CocoEvent data, boolean traced) {
        UUID id = UUID.randomUUID();
        EventType<?> type = EventCatalog.of(data.getClass());
        OutboxRow row = new OutboxRow(0, id, type.topic(), data.subject(), type.ceType(), "/cocoplane/test",
                data.subject(), type.dataSchema(), OffsetDateTime.now(ZoneOffset.UTC), traced ? TRACEPARENT : null,
                codec.payload(data));
        return new Sent(id, data, codec.encode(row));
    }

    static void send(EventingAutoConfiguration.EventingKafka kafka, List<Sent> events) throws Exception {
        for (Sent s : events) {
            kafka.template().send(s.record()).get();
        }
    }


    static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
