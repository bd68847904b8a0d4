package io.cocoplane.bench;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.cocoplane.contracts.CocoEvent;
import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.EventType;
import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.OutboxRow;
import tools.jackson.databind.json.JsonMapper;

/** Catalogue events as the outbox relay of a service writes them (CloudEvents binary mode), for the harnesses. */
final class Events {

    /** The codec, 1 MiB payload limit. */
    static final CloudEventCodec CODEC = new CloudEventCodec(JsonMapper.builder().build(), 1 << 20);

    private Events() {
    }

    /**
     * @param data   the event
     * @param source the CloudEvents {@code source}, e.g. {@code /cocoplane/bench}
     * @return a record for the event type's topic, keyed by its subject
     */
    static ProducerRecord<String, byte[]> record(CocoEvent data, String source) {
        EventType<?> type = EventCatalog.of(data.getClass());
        OutboxRow row = new OutboxRow(0, UUID.randomUUID(), type.topic(), data.subject(), type.ceType(), source,
                data.subject(), type.dataSchema(), OffsetDateTime.now(ZoneOffset.UTC), null, CODEC.payload(data));
        return CODEC.encode(row);
    }

    /** @return a producer with {@code acks=all}, the given linger and batch size */
    static KafkaProducer<String, byte[]> producer(String bootstrap, int lingerMs, int batchBytes) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(batchBytes));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
